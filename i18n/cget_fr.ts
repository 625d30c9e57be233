<?xml version='1.0' encoding='utf-8'?>
<!DOCTYPE TS>
<TS version="2.1">
<context>
    <name>@default</name>
    <message>
        <location filename="../cget_plugin/core/net.py" line="55" />
        <source>The server at {url} did not return valid JSON ({detail}). Check the URL or try again later.</source>
        <translation>Le serveur {url} n'a pas renvoyé de JSON valide ({detail}). Vérifiez l'adresse ou réessayez plus tard.</translation>
    </message>
    <message>
        <location filename="../cget_plugin/core/net.py" line="73" />
        <source>an HTML page instead of data</source>
        <translation>une page HTML au lieu de données</translation>
    </message>
    <message>
        <location filename="../cget_plugin/core/net.py" line="75" />
        <source>an empty response</source>
        <translation>une réponse vide</translation>
    </message>
    <message>
        <location filename="../cget_plugin/core/net.py" line="76" />
        <source>{n} bytes of type {ctype}</source>
        <translation>{n} octets de type {ctype}</translation>
    </message>
    <message>
        <location filename="../cget_plugin/processing/base.py" line="126" />
        <source>Cancelled by the user.</source>
        <translation>Annulé par l'utilisateur.</translation>
    </message>
    <message>
        <location filename="../cget_plugin/core/net.py" line="195" />
        <source>Could not reach {url}: {error}. Check the network connection and the proxy settings of QGIS (Settings &gt; Options &gt; Network), or use the cached copy.</source>
        <translation>Impossible de joindre {url} : {error}. Vérifiez la connexion réseau et les réglages de proxy de QGIS (Préférences &gt; Options &gt; Réseau), ou utilisez la copie en cache.</translation>
    </message>
    <message>
        <location filename="../cget_plugin/core/net.py" line="195" />
        <source>no response</source>
        <translation>aucune réponse</translation>
    </message>
    <message>
        <location filename="../cget_plugin/core/net.py" line="208" />
        <source>{url}: server busy or unreachable, new attempt in {s:.0f} s ({n}/{total}).</source>
        <translation>{url} : serveur occupé ou injoignable, nouvel essai dans {s:.0f} s ({n}/{total}).</translation>
    </message>
    <message>
        <location filename="../cget_plugin/core/net.py" line="292" />
        <source>{host} refused the request: quota or rate limit reached (HTTP {status}{detail}). Wait and run again, or reduce the number of requests.</source>
        <translation>{host} a refusé la requête : quota ou limite de débit atteint (HTTP {status}{detail}). Patientez puis relancez, ou réduisez le nombre de requêtes.</translation>
    </message>
    <message>
        <location filename="../cget_plugin/core/net.py" line="301" />
        <source>{url} was not found (HTTP 404). The source may have moved: check the URL, or point this source to a mirror or a local file in the plugin settings.</source>
        <translation>{url} est introuvable (HTTP 404). La source a peut-être changé d'adresse : vérifiez l'URL, ou faites pointer cette source vers un miroir ou un fichier local dans les réglages de l'extension.</translation>
    </message>
    <message>
        <location filename="../cget_plugin/core/net.py" line="306" />
        <source>{url} refused access (HTTP {status}). Check the API key or the authentication configuration selected in QGIS.</source>
        <translation>{url} a refusé l'accès (HTTP {status}). Vérifiez la clé d'API ou la configuration d'authentification choisie dans QGIS.</translation>
    </message>
    <message>
        <location filename="../cget_plugin/core/net.py" line="311" />
        <source>The server {host} failed (HTTP {status}). Try again later or use the cached copy.</source>
        <translation>Le serveur {host} est en erreur (HTTP {status}). Réessayez plus tard ou utilisez la copie en cache.</translation>
    </message>
    <message>
        <location filename="../cget_plugin/core/net.py" line="315" />
        <source>The request to {url} failed (HTTP {status}).</source>
        <translation>La requête vers {url} a échoué (HTTP {status}).</translation>
    </message>
    <message>
        <location filename="../cget_plugin/core/net.py" line="318" />
        <source>Server message: {}</source>
        <translation>Message du serveur : {}</translation>
    </message>
    <message>
        <location filename="../cget_plugin/core/provenance.py" line="72" />
        <source>data of {}</source>
        <translation>données du {}</translation>
    </message>
    <message>
        <location filename="../cget_plugin/core/provenance.py" line="140" />
        <source>Producer: {}</source>
        <translation>Producteur : {}</translation>
    </message>
    <message>
        <location filename="../cget_plugin/core/provenance.py" line="141" />
        <source>Dataset: {}</source>
        <translation>Jeu de données : {}</translation>
    </message>
    <message>
        <location filename="../cget_plugin/core/provenance.py" line="144" />
        <source>Vintage: {}</source>
        <translation>Millésime : {}</translation>
    </message>
    <message>
        <location filename="../cget_plugin/core/provenance.py" line="146" />
        <source>Source date: {}</source>
        <translation>Date de la source : {}</translation>
    </message>
    <message>
        <location filename="../cget_plugin/core/provenance.py" line="148" />
        <source>Source: {}</source>
        <translation>Source : {}</translation>
    </message>
    <message>
        <location filename="../cget_plugin/core/provenance.py" line="150" />
        <source>Licence: {}</source>
        <translation>Licence : {}</translation>
    </message>
    <message>
        <location filename="../cget_plugin/core/provenance.py" line="152" />
        <source>Retrieved or computed on: {}</source>
        <translation>Récupéré ou calculé le : {}</translation>
    </message>
    <message>
        <location filename="../cget_plugin/core/provenance.py" line="154" />
        <source>Engine: {}</source>
        <translation>Moteur : {}</translation>
    </message>
    <message>
        <location filename="../cget_plugin/core/provenance.py" line="156" />
        <source>Parameters: {}</source>
        <translation>Paramètres : {}</translation>
    </message>
    <message>
        <location filename="../cget_plugin/processing/provider.py" line="25" />
        <source>CGET – Territorial equality</source>
        <translation>CGET – Égalité des territoires</translation>
    </message>
    <message>
        <location filename="../cget_plugin/processing/base.py" line="27" />
        <source>Priority geography</source>
        <translation>Géographie prioritaire</translation>
    </message>
    <message>
        <location filename="../cget_plugin/processing/base.py" line="28" />
        <source>Accessibility</source>
        <translation>Accessibilité</translation>
    </message>
    <message>
        <location filename="../cget_plugin/processing/base.py" line="29" />
        <source>Prefecture maps</source>
        <translation>Cartes préfecture</translation>
    </message>
    <message>
        <location filename="../cget_plugin/plugin.py" line="61" />
        <source>User guide</source>
        <translation>Guide d'utilisation</translation>
    </message>
    <message>
        <location filename="../cget_plugin/processing/base.py" line="75" />
        <source>Style of the CGET plugin</source>
        <translation>Style de l'extension CGET</translation>
    </message>
    <message>
        <location filename="../cget_plugin/processing/provider.py" line="28" />
        <source>CGET – Territorial equality ({version})</source>
        <translation>CGET – Égalité des territoires ({version})</translation>
    </message>
    <message>
        <location filename="../cget_plugin/core/catalog.py" line="34" />
        <source>Urban policy</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../cget_plugin/core/catalog.py" line="34" />
        <source>Rurality</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../cget_plugin/core/catalog.py" line="34" />
        <source>Town centres</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../cget_plugin/core/catalog.py" line="34" />
        <source>Industry</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../cget_plugin/core/catalog.py" line="34" />
        <source>Public services</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../cget_plugin/core/catalog.py" line="34" />
        <source>Administrative units</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../cget_plugin/core/catalog.py" line="161" />
        <source>Unknown geography “{gid}”. Valid identifiers: {ids}.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../cget_plugin/core/catalog.py" line="177" />
        <source>The catalogue {path} is invalid: entry {gid} lacks {keys}.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../cget_plugin/core/catalog.py" line="266" />
        <source>Catalogue file {path} not found. Check the CGET_CATALOG environment variable.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../cget_plugin/core/catalog.py" line="274" />
        <source>The catalogue {path} is not valid JSON: {detail}.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../cget_plugin/core/catalog.py" line="279" />
        <source>The catalogue {path} is invalid: {problems}.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../cget_plugin/core/geocode.py" line="165" />
        <source>The address "{q}" is too short: type at least 3 characters.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../cget_plugin/core/geocode.py" line="186" />
        <source>The geocoder {url} answered with an HTML page instead of data. Check the geocoder address in the plugin settings.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../cget_plugin/core/geocode.py" line="196" />
        <source>The geocoder {url} did not return a GeoCodeJSON feature collection. Check the geocoder address in the plugin settings.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../cget_plugin/core/geocode.py" line="286" />
        <source>Geocoding batch {n}/{total} ({rows} addresses)…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../cget_plugin/core/geocode.py" line="310" />
        <source>row missing from the geocoder answer</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../cget_plugin/core/geocode.py" line="314" />
        <source>The geocoder returned {got} of {sent} rows (truncated answer?). The {n} missing rows are kept with the status "erreur": run again to retry.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../cget_plugin/core/geocode.py" line="440" />
        <source>The geocoder {host} answered with an HTML page instead of CSV (maintenance page or wrong address). Check the geocoder address in the plugin settings or try again later.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../cget_plugin/core/geocode.py" line="458" />
        <source>The geocoder {host} answered with text that is not UTF-8.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../cget_plugin/core/geocode.py" line="462" />
        <source>The geocoder {host} returned an empty answer.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../cget_plugin/core/geocode.py" line="469" />
        <source>The geocoder {host} returned an unreadable CSV.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../cget_plugin/core/geocode.py" line="472" />
        <source>The geocoder {host} returned a CSV without the row identifier column; it is not the answer of a /search/csv service.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../cget_plugin/core/layouts/fonts.py" line="50" />
        <source>The {preferred} typeface is not installed: the map uses {family} instead. Install {preferred} (info.gouv.fr, « la typographie ») for the State look.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../cget_plugin/core/layouts/fonts.py" line="56" />
        <source>None of the typefaces {wanted} is installed: the map uses {family}. Install Marianne or Arial for the State look.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../cget_plugin/core/layouts/spec.py" line="248" />
        <source>a title (TITLE)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../cget_plugin/core/layouts/spec.py" line="250" />
        <source>the official bloc-marque (LOGO or the settings)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../cget_plugin/core/layouts/spec.py" line="252" />
        <source>a source for the layer(s) {names} (SOURCES or layer metadata)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../cget_plugin/core/layouts/spec.py" line="258" />
        <source>sources with their vintage (a 4-digit year)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../cget_plugin/core/layouts/spec.py" line="260" />
        <source>the author service for « Réalisation » (AUTHOR or the settings)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../cget_plugin/core/layouts/spec.py" line="286" />
        <source>« {raw} » → « {stem} »</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../cget_plugin/core/layouts/spec.py" line="291" />
        <source>« {raw} » appears twice → « {stem} »</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../cget_plugin/core/locate.py" line="166" />
        <source>The zones layer is not valid.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../cget_plugin/core/locate.py" line="168" />
        <source>The zones layer {name} holds {kind}, not polygons. Choose a polygon layer (QPV, communes...) or a geography of the catalogue.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../cget_plugin/core/routing/backends/__init__.py" line="43" />
        <source>Unknown remote router u201c{id}u201d: use ign, ors or valhalla.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../cget_plugin/core/routing/backends/base.py" line="75" />
        <source>No travel-time band was given: enter minutes such as 5,10,15.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../cget_plugin/core/routing/backends/base.py" line="81" />
        <source>Band u201c{value}u201d is not a number of minutes.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../cget_plugin/core/routing/backends/base.py" line="85" />
        <source>Band {value} is not a positive whole number of minutes.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../cget_plugin/core/routing/backends/base.py" line="90" />
        <source>Travel-time bands must be increasing without repeats (got {bands}).</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../cget_plugin/core/routing/backends/base.py" line="96" />
        <source>Band {value} min is above the maximum of {max} min accepted for isochrones. Use smaller bands.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../cget_plugin/core/routing/backends/base.py" line="112" />
        <source>Origin {item} is not (id, longitude, latitude).</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../cget_plugin/core/routing/backends/base.py" line="116" />
        <source>Origin {id} has coordinates ({x}, {y}) outside longitude/latitude ranges: remote routers need points in EPSG:4326 (WGS 84).</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../cget_plugin/core/routing/backends/base.py" line="128" />
        <source>Unknown direction u201c{value}u201d: use departure or arrival.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../cget_plugin/core/routing/backends/base.py" line="143" />
        <source>{service} at {url} returned an HTML page instead of data (a proxy login page, a maintenance page or a wrong URL). Check the service URL in the settings and the proxy settings of QGIS.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../cget_plugin/core/routing/backends/base.py" line="153" />
        <source>{service} at {url} returned an empty response. Try again later.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../cget_plugin/core/routing/backends/base.py" line="163" />
        <source>The response of {service} at {url} is incomplete or is not JSON ({n} bytes): the connection may have been cut. Try again later.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../cget_plugin/core/routing/backends/base.py" line="189" />
        <source>The router answered without a polygon geometry.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../cget_plugin/core/routing/backends/base.py" line="200" />
        <source>The router answered a {type} where a polygon was expected.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../cget_plugin/core/routing/backends/base.py" line="207" />
        <source>The router answered a malformed polygon geometry.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../cget_plugin/core/routing/backends/base.py" line="376" />
        <source>Isochrones by {service} at {url} (profile {profile}, {direction}).</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../cget_plugin/core/routing/backends/base.py" line="411" />
        <source>{n} isochrone(s) reused from the local cache.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../cget_plugin/core/routing/backends/base.py" line="424" />
        <source>Origin {id}: {error}</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../cget_plugin/core/routing/backends/base.py" line="451" />
        <source>{service} returned no isochrone for origin {id} at {m} min. Check that the point is near a road, or try another router.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../cget_plugin/core/routing/backends/base.py" line="459" />
        <source>{service} returned an empty area for origin {id} ({x:.5f}, {y:.5f}) at {m} min: the point is probably too far from any road open to this mode. Move the point or use another router.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../cget_plugin/core/routing/backends/ign.py" line="39" />
        <source>IGN Géoplateforme has no bicycle profile (car and pedestrian only). For cycling, choose openrouteservice, Valhalla or the local road network.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../cget_plugin/core/routing/backends/valhalla.py" line="39" />
        <source>Unknown travel mode u201c{mode}u201d: use car, walk or bike.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../cget_plugin/core/routing/backends/ign.py" line="86" />
        <source>IGN Géoplateforme refused the isochrone at ({x:.5f}, {y:.5f}), {m} min: {error}</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../cget_plugin/core/routing/backends/ign.py" line="97" />
        <source>IGN Géoplateforme answered something other than an isochrone object.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../cget_plugin/core/routing/backends/ign.py" line="104" />
        <source>IGN Géoplateforme could not compute the isochrone: {message}</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../cget_plugin/core/routing/backends/ign.py" line="124" />
        <source>IGN Géoplateforme answered without a GeoJSON geometry (geometryFormat may not be supported by this endpoint): {url}</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../cget_plugin/core/routing/backends/ors.py" line="210" />
        <source>graph of {date}</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../cget_plugin/core/routing/backends/ign.py" line="135" />
        <source>graph date unknown</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../cget_plugin/core/routing/backends/valhalla.py" line="138" />
        <source>{n} isochrone(s) taken from the local cache.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../cget_plugin/core/routing/backends/ors.py" line="43" />
        <source>The authentication configuration u201c{id}u201d holding the openrouteservice key cannot be read (unknown id, or the master password was not entered). Check it in Settings &gt; Options &gt; Authentication.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../cget_plugin/core/routing/backends/ors.py" line="55" />
        <source>The authentication configuration u201c{id}u201d has no key: store the openrouteservice key as its password (Basic method) or token.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../cget_plugin/core/routing/backends/ors.py" line="76" />
        <source>The openrouteservice key could not be stored in the QGIS authentication database: set a master password in Settings &gt; Options &gt; Authentication.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../cget_plugin/core/routing/backends/ors.py" line="120" />
        <source>openrouteservice needs an API key: create a free key on openrouteservice.org, store it in the QGIS authentication database and select it in the plugin settings (or use IGN Géoplateforme, Valhalla or the local network).</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../cget_plugin/core/routing/backends/ors.py" line="137" />
        <source>The public openrouteservice API computes {profile} isochrones up to {limit} min only. Use smaller bands, IGN Géoplateforme or the local network.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../cget_plugin/core/routing/backends/ors.py" line="178" />
        <source>openrouteservice at {url} did not answer a GeoJSON FeatureCollection.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../cget_plugin/core/routing/backends/valhalla.py" line="138" />
        <source>unknown version</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../cget_plugin/core/routing/backends/ors.py" line="245" />
        <source>The daily quota of your openrouteservice key is used up (HTTP 403). It is restored 24 hours after the first requests of the day. Meanwhile, use IGN Géoplateforme (car, walk), a Valhalla server or the local road network, or another openrouteservice key or plan.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../cget_plugin/core/routing/backends/ors.py" line="252" />
        <source>openrouteservice is refusing requests: per-minute limit reached (HTTP 429) even after waiting. Wait one minute and run again with fewer origins, or use IGN Géoplateforme, Valhalla or the local road network.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../cget_plugin/core/routing/backends/ors.py" line="262" />
        <source>openrouteservice refused the API key (HTTP {status}). Check the key stored in the QGIS authentication configuration selected in the plugin settings.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../cget_plugin/core/routing/backends/ors.py" line="271" />
        <source>openrouteservice could not compute the isochrones: {error}</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../cget_plugin/core/routing/backends/valhalla.py" line="103" />
        <source>Valhalla could not compute the isochrone at ({x:.5f}, {y:.5f}): {error}</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../cget_plugin/core/routing/backends/valhalla.py" line="111" />
        <source>Valhalla at {url} did not answer a GeoJSON FeatureCollection.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../cget_plugin/core/routing/profiles.py" line="200" />
        <source>Unknown travel mode {mode}: use car, walk or bike.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../cget_plugin/core/routing/profiles.py" line="331" />
        <source>generic</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../cget_plugin/core/routing/profiles.py" line="339" />
        <source>The road network has no known speed field (BD TOPO, OSM) and neither a speed field nor a default speed was given: choose SPEED_FIELD or set DEFAULT_SPEED_KMH.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../cget_plugin/core/routing/profiles.py" line="386" />
        <source>The speed field {field} is not in the road network layer.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../cget_plugin/core/routing/profiles.py" line="399" />
        <source>Unknown network profile {name}: use auto, bdtopo, bdtopo2, osm or generic.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../cget_plugin/core/routing/profiles.py" line="406" />
        <source>The BD TOPO network has no vitesse_moyenne_vl field: choose the generic profile.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../cget_plugin/core/routing/profiles.py" line="410" />
        <source>The BD TOPO 2 network has no sens field.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../cget_plugin/core/routing/profiles.py" line="412" />
        <source>The OSM network has no highway field: choose another profile.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../cget_plugin/core/routing/profiles.py" line="417" />
        <source>car</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../cget_plugin/core/routing/profiles.py" line="418" />
        <source>walking</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../cget_plugin/core/routing/profiles.py" line="419" />
        <source>bicycle</source>
        <translation type="unfinished" />
    </message>
</context>
</TS>