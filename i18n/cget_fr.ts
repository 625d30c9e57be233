<?xml version='1.0' encoding='utf-8'?>
<!DOCTYPE TS>
<TS version="2.1">
    <context>
        <name>@default</name>
        <message>
            <source> (closest valid codes: {codes})</source>
            <translation> (codes valides les plus proches : {codes})</translation>
        </message>
        <message>
            <source> (from the cache)</source>
            <translation> (depuis le cache)</translation>
        </message>
        <message>
            <source>1 proposed site, threshold {t:g} min</source>
            <translation>1 implantation proposée, seuil de {t:g} min</translation>
        </message>
        <message>
            <source>: national file already in the cache.</source>
            <translation> : fichier national déjà en cache.</translation>
        </message>
        <message>
            <source>: national file of {mb} MB to download once (then kept in the cache).</source>
            <translation> : fichier national de {mb} Mo à télécharger une fois (puis gardé en cache).</translation>
        </message>
        <message>
            <source>: size unknown ({problem}).</source>
            <translation> : taille inconnue ({problem}).</translation>
        </message>
        <message>
            <source>: {n} road sections to download from the IGN WFS.</source>
            <translation> : {n} tronçons de route à télécharger depuis le WFS de l'IGN.</translation>
        </message>
        <message>
            <source>: {n} sections, already in the cache.</source>
            <translation> : {n} tronçons, déjà en cache.</translation>
        </message>
        <message>
            <source>&lt;b&gt;Geocoding failed&lt;/b&gt;: {error}</source>
            <translation>&lt;b&gt;Échec du géocodage&lt;/b&gt; : {error}</translation>
        </message>
        <message>
            <source>&lt;b&gt;No zones layer.&lt;/b&gt; Load QPV 2024 from the catalogue menu (or add a polygon layer), then choose it here.</source>
            <translation>&lt;b&gt;Aucune couche de zones.&lt;/b&gt; Chargez les QPV 2024 depuis le menu du catalogue (ou ajoutez une couche de polygones), puis choisissez-la ici.</translation>
        </message>
        <message>
            <source>&lt;p&gt;Chooses among CANDIDATES (town halls, a grid, sites you propose) the new sites that bring the most population within THRESHOLD_MIN minutes of a service, the existing FACILITIES (optional) included: one site at a time, each time the one that adds the most people (greedy maximal covering: exact for one site, and within 1 - 1/e of the best possible choice beyond). Ties go to the candidate whose identifier sorts first, so every run gives the same answer.&lt;/p&gt;&lt;p&gt;Stops after NEW_SITES sites, or as soon as TARGET_SHARE % of the population is within the threshold (either or both). Outputs: the chosen sites in order (population gained, population and share covered), the coverage curve from the existing sites alone (k = 0), the population still beyond the threshold, and, for each existing site, the population that would fall beyond the threshold if it alone closed (indispensable sites first).&lt;/p&gt;&lt;p&gt;Times are exact network times on the local engine (DIRECTION &lt;i&gt;arrival&lt;/i&gt;: from home to the service), counted like &lt;i&gt;cget:accesstime&lt;/i&gt;. A remote router cannot be used: the choice needs one travel-time tree per candidate.&lt;/p&gt;</source>
            <translation>&lt;p&gt;Choisit parmi les CANDIDATES (mairies, une grille, des sites que vous proposez) les nouveaux sites qui amènent le plus d'habitants à moins de THRESHOLD_MIN minutes d'un service, en tenant compte des services existants FACILITIES (facultatif) : un site à la fois, chaque fois celui qui ajoute le plus d'habitants (couverture maximale gloutonne : exacte pour un site, et à moins de 1 - 1/e du meilleur choix possible au-delà). À égalité, le candidat dont l'identifiant vient en premier l'emporte : chaque exécution donne la même réponse.&lt;/p&gt;&lt;p&gt;S'arrête après NEW_SITES sites, ou dès que TARGET_SHARE % de la population est sous le seuil (l'un, l'autre ou les deux). Sorties : les sites choisis dans l'ordre (population gagnée, population et part couvertes), la courbe de couverture depuis les seuls sites existants (k = 0), la population encore au-delà du seuil et, pour chaque site existant, la population qui passerait au-delà du seuil s'il fermait seul (sites indispensables en tête).&lt;/p&gt;&lt;p&gt;Les temps sont des temps exacts sur le réseau du moteur local (DIRECTION &lt;i&gt;arrival&lt;/i&gt; : du domicile au service), comptés comme dans &lt;i&gt;cget:accesstime&lt;/i&gt;. Un calculateur distant ne peut pas servir : le choix demande un arbre de temps de parcours par candidat.&lt;/p&gt;</translation>
        </message>
        <message>
            <source>&lt;p&gt;For each population unit (points, or polygons such as communes or INSEE Filosofi cells whose population is spread evenly over their area), the travel time in minutes to the nearest facility and which one (nearest_id); then a table of the population and its share within each threshold, overall and for each zone (QPV, communes, any polygon layer), ready to quote in a note.&lt;/p&gt;&lt;p&gt;Each row also gives the population-weighted mean and median time and the share beyond each threshold, over the population attached to the network (a resident reaching no service counts beyond every threshold). With REFERENCE_ZONES (the communes or EPCI of QPV zones), each zone is compared with the rest of the reference zones it lies in, outside every zone: the same figures (rest_) and the gap zone – rest (gap_), so one table tells whether priority neighbourhoods are worse served.&lt;/p&gt;&lt;p&gt;DIRECTION &lt;i&gt;arrival&lt;/i&gt; (default) measures the trip from home to the facility, one-way streets included. The time of a unit is the network time at the nearest point of a road plus the walk to it at 4 km/h; for a polygon, the median over its population. Units farther than SNAP_TOLERANCE_M from any road go to the &lt;i&gt;non raccordés&lt;/i&gt; output and are counted apart in the table.&lt;/p&gt;&lt;p&gt;With a remote router (IGN, openrouteservice, Valhalla), times come from its isochrones at the thresholds: each unit gets the smallest threshold that contains it (minutes = that threshold, not an exact time; the mean time is then left empty).&lt;/p&gt;</source>
            <translation>&lt;p&gt;Pour chaque unité de population (points, ou polygones tels que communes ou carreaux Filosofi de l'Insee, dont la population est répartie uniformément sur la surface), le temps de trajet en minutes jusqu'à l'équipement le plus proche et son identifiant (nearest_id) ; puis un tableau de la population et de sa part à moins de chaque seuil, au total et pour chaque zone (QPV, communes, toute couche de polygones), prêt à citer dans une note.&lt;/p&gt;&lt;p&gt;Chaque ligne donne aussi le temps moyen et le temps médian pondérés par la population et la part au-delà de chaque seuil, sur la population raccordée au réseau (un habitant qui n'atteint aucun service compte au-delà de tous les seuils). Avec REFERENCE_ZONES (les communes ou EPCI des QPV), chaque zone est comparée au reste des zones de référence où elle se trouve, hors de toute zone : mêmes chiffres (rest_) et écart zone – reste (gap_), pour lire dans un seul tableau si les quartiers prioritaires sont moins bien desservis.&lt;/p&gt;&lt;p&gt;DIRECTION &lt;i&gt;arrival&lt;/i&gt; (par défaut) mesure le trajet du domicile vers l'équipement, sens uniques compris. Le temps d'une unité est le temps sur le réseau au point de route le plus proche, plus la marche jusqu'à ce point à 4 km/h ; pour un polygone, la médiane sur sa population. Les unités situées à plus de SNAP_TOLERANCE_M de toute route vont dans la sortie &lt;i&gt;non raccordés&lt;/i&gt; et sont comptées à part dans le tableau.&lt;/p&gt;&lt;p&gt;Avec un calculateur distant (IGN, openrouteservice, Valhalla), les temps viennent de ses isochrones aux seuils : chaque unité reçoit le plus petit seuil qui la contient (minutes = ce seuil, pas un temps exact ; le temps moyen reste alors vide).&lt;/p&gt;</translation>
        </message>
        <message>
            <source>&lt;p&gt;The local engine needs a road network, and the project has none.&lt;/p&gt;&lt;p&gt;The plugin can load the road network (IGN BD TOPO) and the population grid (INSEE Filosofi) of your territory, but &lt;b&gt;no territory is chosen&lt;/b&gt;. Type a département, an EPCI or a commune in the &lt;b&gt;Territory&lt;/b&gt; field of the “Priority geography” toolbar, then click this button again.&lt;/p&gt;</source>
            <translation>&lt;p&gt;Le moteur local a besoin d'un réseau routier, et le projet n'en contient aucun.&lt;/p&gt;&lt;p&gt;Le plugin peut charger le réseau routier (IGN BD TOPO) et la population carroyée (Insee Filosofi) de votre territoire, mais &lt;b&gt;aucun territoire n'est choisi&lt;/b&gt;. Saisissez un département, un EPCI ou une commune dans le champ &lt;b&gt;Territoire&lt;/b&gt; de la barre d'outils « Géographie prioritaire », puis cliquez de nouveau sur ce bouton.&lt;/p&gt;</translation>
        </message>
        <message>
            <source>&lt;p&gt;Travel-time bands around points (France Services, town halls...), computed on a local road network (BD TOPO, BD TOPO 2, OpenStreetMap or any line layer with a speed) or by a remote router (IGN Géoplateforme, openrouteservice, Valhalla).&lt;/p&gt;&lt;p&gt;&lt;b&gt;Output modes&lt;/b&gt;: &lt;i&gt;rings&lt;/i&gt; = non-overlapping bands, each area assigned to its nearest origin (origin_id; dissolve on min_to for one polygon per band); &lt;i&gt;cumulative&lt;/i&gt; = 0 to each band, all origins together; &lt;i&gt;per_origin&lt;/i&gt; = the bands of each origin, with its attributes (they overlap between origins). With a remote router, &lt;i&gt;rings&lt;/i&gt; carry no origin_id.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Method (local engine)&lt;/b&gt;: exact shortest times on the network (one-way streets respected in the chosen direction), origins attached to the nearest point of a road; then a raster of CELL_SIZE_M where the last leg off the road is walked at 4 km/h up to OFF_NETWORK_M (defaults: car 100 m / 300 m, bike 50 m / 200 m, walk 25 m / 100 m). As in IGN's isochrones, the area between roads that one reaches on foot from the road is part of the band: a few hundred metres for the car (300 m, 4.5 min of walking) fills the built-up areas and the edges of the roads without inventing access across open country; raise OFF_NETWORK_M for smoother areas in sparse rural networks. Precision: one cell; the band edges are drawn smooth (contours of the travel-time surface; RAW_OUTLINES keeps the cell outlines), the populations and areas coming from the cells either way. Walking is 4 km/h, cycling 15 km/h, neither on motorways. Motorways and their ramps carry the car between interchanges only: nobody walks off them and no origin or population attaches to them.&lt;/p&gt;&lt;p&gt;Origins farther than SNAP_TOLERANCE_M from the network go to the &lt;i&gt;non raccordés&lt;/i&gt; output. Give a POPULATION layer (points or polygons such as INSEE Filosofi cells, spread pro rata of area) and POP_FIELD to get the population of each band. The graph of a network is kept for the session: the next run on the same network starts at once.&lt;/p&gt;</source>
            <translation>&lt;p&gt;Courbes de temps de trajet autour de points (France Services, mairies…), calculées sur un réseau routier local (BD TOPO, BD TOPO 2, OpenStreetMap ou toute couche de lignes avec une vitesse) ou par un calculateur distant (Géoplateforme IGN, openrouteservice, Valhalla).&lt;/p&gt;&lt;p&gt;&lt;b&gt;Modes de sortie&lt;/b&gt; : &lt;i&gt;rings&lt;/i&gt; = tranches sans recouvrement, chaque surface étant attribuée à l'origine la plus proche (origin_id ; regrouper sur min_to pour un polygone par tranche) ; &lt;i&gt;cumulative&lt;/i&gt; = de 0 à chaque seuil, toutes origines confondues ; &lt;i&gt;per_origin&lt;/i&gt; = les tranches de chaque origine, avec ses attributs (elles se recouvrent d'une origine à l'autre). Avec un calculateur distant, les &lt;i&gt;rings&lt;/i&gt; ne portent pas d'origin_id.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Méthode (moteur local)&lt;/b&gt; : temps les plus courts exacts sur le réseau (sens uniques respectés dans la direction choisie), origines rattachées au point de route le plus proche ; puis une grille de CELL_SIZE_M où le dernier trajet hors route se fait à pied à 4 km/h jusqu'à OFF_NETWORK_M (par défaut : voiture 100 m / 300 m, vélo 50 m / 200 m, marche 25 m / 100 m). Comme dans les isochrones de l'IGN, la surface entre les routes que l'on atteint à pied depuis la route fait partie de la tranche : quelques centaines de mètres en voiture (300 m, soit 4,5 min de marche) remplissent les zones bâties et les abords des routes sans inventer d'accès à travers champs ; augmentez OFF_NETWORK_M pour des surfaces plus lisses sur un réseau rural peu dense. Précision : une cellule ; les bords des bandes sont dessinés lissés (courbes de niveau de la surface des temps de trajet ; RAW_OUTLINES garde les contours des cellules), les populations et surfaces venant des cellules dans les deux cas. La marche est à 4 km/h, le vélo à 15 km/h, ni l'un ni l'autre sur autoroute. Les autoroutes et leurs bretelles ne servent à la voiture qu'entre deux échangeurs : personne n'en descend à pied et aucune origine ni population n'y est rattachée.&lt;/p&gt;&lt;p&gt;Les origines situées à plus de SNAP_TOLERANCE_M du réseau vont dans la sortie &lt;i&gt;non raccordés&lt;/i&gt;. Indiquez une couche POPULATION (points ou polygones tels que les carreaux Filosofi de l'Insee, répartis au prorata de la surface) et POP_FIELD pour obtenir la population de chaque tranche. Le graphe d'un réseau est conservé pendant la session : le calcul suivant sur le même réseau démarre aussitôt.&lt;/p&gt;</translation>
        </message>
        <message>
            <source>A final map needs: {missing}. Complete them, or export as a draft (MODE draft).</source>
            <translation>Il manque à une carte définitive : {missing}. Complétez-les, ou exportez un projet (MODE draft).</translation>
        </message>
        <message>
            <source>A4/A3 map with bloc-marque, legend, scale, sources: PDF, PNG or SVG</source>
            <translation>Carte A4/A3 avec bloc-marque, légende, échelle et sources : PDF, PNG ou SVG</translation>
        </message>
        <message>
            <source>Access time ({mode})</source>
            <translation>Temps d'accès ({mode})</translation>
        </message>
        <message>
            <source>Access time per unit</source>
            <translation>Temps d'accès par unité</translation>
        </message>
        <message>
            <source>Access time to the nearest service</source>
            <translation>Temps d'accès au service le plus proche</translation>
        </message>
        <message>
            <source>Access time to the nearest service and population covered</source>
            <translation>Temps d'accès au service le plus proche et population couverte</translation>
        </message>
        <message>
            <source>Accessibility</source>
            <translation>Accessibilité</translation>
        </message>
        <message>
            <source>Address</source>
            <translation>Adresse</translation>
        </message>
        <message>
            <source>Address field(s), for a table without geometry</source>
            <translation>Champ(s) d'adresse, pour une table sans géométrie</translation>
        </message>
        <message>
            <source>Address found</source>
            <translation>Adresse trouvée</translation>
        </message>
        <message>
            <source>Address found: &lt;b&gt;{label}&lt;/b&gt; (score {score})</source>
            <translation>Adresse trouvée : &lt;b&gt;{label}&lt;/b&gt; (score {score})</translation>
        </message>
        <message>
            <source>Address geocoded by the IGN Géoplateforme (Base Adresse Nationale).</source>
            <translation>Adresse géocodée par la Géoplateforme de l'IGN (Base Adresse Nationale).</translation>
        </message>
        <message>
            <source>Address in a QPV?</source>
            <translation>Adresse en QPV ?</translation>
        </message>
        <message>
            <source>Administrative units</source>
            <translation>Découpages</translation>
        </message>
        <message>
            <source>All zones containing the place</source>
            <translation>Toutes les zones contenant le lieu</translation>
        </message>
        <message>
            <source>Also in: {codes}</source>
            <translation>Également dans : {codes}</translation>
        </message>
        <message>
            <source>Area (km²)</source>
            <translation>Surface (km²)</translation>
        </message>
        <message>
            <source>Arrival at the service</source>
            <translation>Arrivée au service</translation>
        </message>
        <message>
            <source>Arrival: who can reach this place within the bands (the usual question for a public service). Departure: where one can go from it.</source>
            <translation>Arrivée : qui peut rejoindre ce lieu dans les tranches de temps (la question habituelle pour un service public). Départ : jusqu'où l'on peut aller depuis ce lieu.</translation>
        </message>
        <message>
            <source>Atlas export cancelled after {n} of {total} pages.</source>
            <translation>Export de l'atlas annulé après {n} pages sur {total}.</translation>
        </message>
        <message>
            <source>Atlas file format when OUTPUT is a folder</source>
            <translation>Format des fichiers de l'atlas quand OUTPUT est un dossier</translation>
        </message>
        <message>
            <source>Atlas layer: one page per feature (optional)</source>
            <translation>Couche de l'atlas : une page par entité (facultatif)</translation>
        </message>
        <message>
            <source>Atlas {name}</source>
            <translation>Atlas {name}</translation>
        </message>
        <message>
            <source>Atlas: one page per feature</source>
            <translation>Atlas : une page par entité</translation>
        </message>
        <message>
            <source>Atlas…</source>
            <translation>Atlas…</translation>
        </message>
        <message>
            <source>Authentication configuration holding your openrouteservice key (stored encrypted in the QGIS authentication database).</source>
            <translation>Configuration d'authentification contenant votre clé openrouteservice (stockée chiffrée dans la base d'authentification de QGIS).</translation>
        </message>
        <message>
            <source>Author service for « Réalisation » (empty: settings)</source>
            <translation>Service auteur pour « Réalisation » (vide : réglages)</translation>
        </message>
        <message>
            <source>Authority (intitulé)</source>
            <translation>Autorité (intitulé)</translation>
        </message>
        <message>
            <source>Authority, e.g. « Préfète de la Haute-Garonne » (empty: settings)</source>
            <translation>Autorité, par ex. « Préfète de la Haute-Garonne » (vide : réglages)</translation>
        </message>
        <message>
            <source>Authority, service, official bloc-marque, default format</source>
            <translation>Autorité, service, bloc-marque officiel, format par défaut</translation>
        </message>
        <message>
            <source>Automatic (from the extent)</source>
            <translation>Automatique (selon l'emprise)</translation>
        </message>
        <message>
            <source>Automatic (from the fields)</source>
            <translation>Automatique (d'après les champs)</translation>
        </message>
        <message>
            <source>Band {value} is not a positive whole number of minutes.</source>
            <translation>La tranche {value} n'est pas un nombre entier positif de minutes.</translation>
        </message>
        <message>
            <source>Band {value} min is above the maximum of {max} min accepted for isochrones. Use smaller bands.</source>
            <translation>La tranche de {value} min dépasse le maximum de {max} min accepté pour les isochrones. Utilisez des tranches plus courtes.</translation>
        </message>
        <message>
            <source>Band “{value}” is not a number of minutes.</source>
            <translation>La tranche « {value} » n'est pas un nombre de minutes.</translation>
        </message>
        <message>
            <source>Bands (minutes)</source>
            <translation>Tranches (minutes)</translation>
        </message>
        <message>
            <source>Bands per origin</source>
            <translation>Tranches par origine</translation>
        </message>
        <message>
            <source>Base URL of the Valhalla server, e.g. http://host:8002</source>
            <translation>Adresse de base du serveur Valhalla, par exemple http://serveur:8002</translation>
        </message>
        <message>
            <source>Below this score the answer is “unknown”: the address must be checked.</source>
            <translation>En dessous de ce score, la réponse est « indéterminée » : l'adresse doit être vérifiée.</translation>
        </message>
        <message>
            <source>Beyond the threshold if it closed</source>
            <translation>Au-delà du seuil s'il fermait</translation>
        </message>
        <message>
            <source>Bicycle</source>
            <translation>Vélo</translation>
        </message>
        <message>
            <source>Bloc-marque</source>
            <translation>Bloc-marque</translation>
        </message>
        <message>
            <source>Builds a map ready for the prefect's desk from the chosen layers: bloc-marque, title, subtitle, legend of the visible layers only, scale bar, north arrow, sources with their vintages (read from the layers' metadata), projection and « Réalisation : service – date », on A4 or A3. The layout stays in the project under LAYOUT_NAME so it can still be edited by hand.

OUTPUT ending in .pdf, .png or .svg gives one file. With ATLAS_LAYER, one page per feature: OUTPUT ending in .pdf gives one multi-page PDF, a folder gives one file per feature (FORMAT) named from its code and name.

MODE final refuses a map without title, bloc-marque, réalisation or dated sources and lists what is missing; MODE draft proceeds and marks the map « PROJET ». Without an official bloc-marque (LOGO or Réglages), only a draft is possible: the plugin never draws the Marianne.

An existing file is only replaced with OVERWRITE. PDF text stays searchable text (accessibility); TEXT_AS_OUTLINES converts it to curves for print shops.</source>
            <translation>Produit une carte prête pour le bureau du préfet à partir des couches choisies : bloc-marque, titre, sous-titre, légende des seules couches visibles, échelle graphique, flèche du nord, sources avec leur millésime (lues dans les métadonnées des couches), projection et « Réalisation : service – date », en A4 ou A3. La mise en page reste dans le projet sous LAYOUT_NAME pour être retouchée à la main.

Une sortie OUTPUT en .pdf, .png ou .svg donne un fichier. Avec ATLAS_LAYER, une page par entité : une sortie en .pdf donne un seul PDF de plusieurs pages, un dossier donne un fichier par entité (FORMAT) nommé d'après son code et son nom.

Le MODE final refuse une carte sans titre, bloc-marque, réalisation ou sources datées et liste ce qui manque ; le MODE draft poursuit et marque la carte « PROJET ». Sans bloc-marque officiel (LOGO ou Réglages), seul un projet est possible : l'extension ne dessine jamais la Marianne.

Un fichier existant n'est remplacé qu'avec OVERWRITE. Le texte du PDF reste du texte consultable (accessibilité) ; TEXT_AS_OUTLINES le convertit en tracés pour les imprimeurs.</translation>
        </message>
        <message>
            <source>CGET computation</source>
            <translation>Calcul CGET</translation>
        </message>
        <message>
            <source>CGET local engine, network {name}, profile {profile}, {mode}</source>
            <translation>Moteur local CGET, réseau {name}, profil {profile}, {mode}</translation>
        </message>
        <message>
            <source>CGET plugin</source>
            <translation>Extension CGET</translation>
        </message>
        <message>
            <source>CGET – Territorial equality</source>
            <translation>CGET – Égalité des territoires</translation>
        </message>
        <message>
            <source>CGET – Territorial equality ({version})</source>
            <translation>CGET – Égalité des territoires ({version})</translation>
        </message>
        <message>
            <source>Cancel</source>
            <translation>Annuler</translation>
        </message>
        <message>
            <source>Cancelled by the user.</source>
            <translation>Annulé par l'utilisateur.</translation>
        </message>
        <message>
            <source>Cancelled during the access-time computation.</source>
            <translation>Annulé pendant le calcul des temps d'accès.</translation>
        </message>
        <message>
            <source>Cancelled during the siting computation.</source>
            <translation>Annulé pendant le calcul d'implantation.</translation>
        </message>
        <message>
            <source>Cancelled during the travel-time computation.</source>
            <translation>Annulé pendant le calcul des temps de trajet.</translation>
        </message>
        <message>
            <source>Cancelled while drawing the isochrones.</source>
            <translation>Annulé pendant le tracé des isochrones.</translation>
        </message>
        <message>
            <source>Cancelled while reading the road network.</source>
            <translation>Annulé pendant la lecture du réseau routier.</translation>
        </message>
        <message>
            <source>Cancelled while reading the zones.</source>
            <translation>Annulé pendant la lecture des zones.</translation>
        </message>
        <message>
            <source>Cancelled while reading {what}.</source>
            <translation>Annulé pendant la lecture des {what}.</translation>
        </message>
        <message>
            <source>Cancelled.</source>
            <translation>Annulé.</translation>
        </message>
        <message>
            <source>Cancelled: the access times were not written.</source>
            <translation>Annulé : les temps d'accès n'ont pas été écrits.</translation>
        </message>
        <message>
            <source>Cancelled: the geography was not written.</source>
            <translation>Annulé : la géographie n'a pas été écrite.</translation>
        </message>
        <message>
            <source>Cancelled: the isochrones were not written.</source>
            <translation>Annulé : les isochrones n'ont pas été écrites.</translation>
        </message>
        <message>
            <source>Candidate</source>
            <translation>Candidat</translation>
        </message>
        <message>
            <source>Candidate identifier field</source>
            <translation>Champ identifiant des candidats</translation>
        </message>
        <message>
            <source>Candidate sites</source>
            <translation>Sites candidats</translation>
        </message>
        <message>
            <source>Candidate sites (points)</source>
            <translation>Sites candidats (points)</translation>
        </message>
        <message>
            <source>Cannot create the output folder {folder}: {error}. Choose another folder.</source>
            <translation>Impossible de créer le dossier de sortie {folder} : {error}. Choisissez un autre dossier.</translation>
        </message>
        <message>
            <source>Cannot read the layout template {path}: {error}</source>
            <translation>Impossible de lire le modèle de mise en page {path} : {error}</translation>
        </message>
        <message>
            <source>Car</source>
            <translation>Voiture</translation>
        </message>
        <message>
            <source>Catalogue file {path} not found. Check the CGET_CATALOG environment variable.</source>
            <translation>Fichier de catalogue {path} introuvable. Vérifiez la variable d'environnement CGET_CATALOG.</translation>
        </message>
        <message>
            <source>Catalogue unavailable: {error}</source>
            <translation>Catalogue indisponible : {error}</translation>
        </message>
        <message>
            <source>Catalogue unavailable: {}</source>
            <translation>Catalogue indisponible : {}</translation>
        </message>
        <message>
            <source>Cell size (m; 0 = default of the mode)</source>
            <translation>Taille de cellule (m ; 0 = valeur par défaut du mode)</translation>
        </message>
        <message>
            <source>Centres of {layer}</source>
            <translation>Centres de {layer}</translation>
        </message>
        <message>
            <source>Check a file of addresses…</source>
            <translation>Vérifier un fichier d'adresses…</translation>
        </message>
        <message>
            <source>Choose a road network line layer for the local router, or choose an online router (IGN Géoplateforme, openrouteservice, Valhalla).</source>
            <translation>Choisissez une couche de lignes du réseau routier pour le calcul local, ou un service en ligne (IGN Géoplateforme, openrouteservice, Valhalla).</translation>
        </message>
        <message>
            <source>Choose a territory</source>
            <translation>Choisir un territoire</translation>
        </message>
        <message>
            <source>Choose an output file (OUTPUT).</source>
            <translation>Choisissez un fichier de sortie (OUTPUT).</translation>
        </message>
        <message>
            <source>Choose the zones: a geography of the catalogue (GEOGRAPHY) or a polygon layer (ZONES).</source>
            <translation>Choisissez les zones : une géographie du catalogue (GEOGRAPHY) ou une couche de polygones (ZONES).</translation>
        </message>
        <message>
            <source>Choose: {what}.</source>
            <translation>Choisissez : {what}.</translation>
        </message>
        <message>
            <source>Class</source>
            <translation>Classement</translation>
        </message>
        <message>
            <source>Click a place on the map to test it</source>
            <translation>Cliquez sur un lieu de la carte pour le tester</translation>
        </message>
        <message>
            <source>Click on the map</source>
            <translation>Cliquer sur la carte</translation>
        </message>
        <message>
            <source>Click on the map to choose the point.</source>
            <translation>Cliquez sur la carte pour choisir le point.</translation>
        </message>
        <message>
            <source>Click on the map: the travel-time bands around this point are computed in the background and added to the project. A small panel sets the router, the mode and the bands.</source>
            <translation>Cliquez sur la carte : les tranches de temps de trajet autour de ce point sont calculées en arrière-plan et ajoutées au projet. Un petit panneau permet de choisir le calculateur, le mode de déplacement et les tranches.</translation>
        </message>
        <message>
            <source>Close</source>
            <translation>Fermer</translation>
        </message>
        <message>
            <source>Code</source>
            <translation>Code</translation>
        </message>
        <message>
            <source>Commune INSEE code field (optional, improves geocoding)</source>
            <translation>Champ du code INSEE de la commune (facultatif, fiabilise le géocodage)</translation>
        </message>
        <message>
            <source>Commune code (geocoding)</source>
            <translation>Code commune (géocodage)</translation>
        </message>
        <message>
            <source>Commune outlines unavailable ({error}): the départements' extent is used.</source>
            <translation>Contours des communes indisponibles ({error}) : l'emprise des départements est utilisée.</translation>
        </message>
        <message>
            <source>Communes</source>
            <translation>Communes</translation>
        </message>
        <message>
            <source>Communes (fictitious)</source>
            <translation>Communes (fictives)</translation>
        </message>
        <message>
            <source>Compare each zone with the rest of (communes or EPCI, optional)</source>
            <translation>Comparer chaque zone au reste de (communes ou EPCI, facultatif)</translation>
        </message>
        <message>
            <source>Compared with the rest of</source>
            <translation>Comparé au reste de</translation>
        </message>
        <message>
            <source>Compute</source>
            <translation>Calculer</translation>
        </message>
        <message>
            <source>Compute again at the last point clicked</source>
            <translation>Relancer le calcul au dernier point cliqué</translation>
        </message>
        <message>
            <source>Computing in the background (see the task manager to cancel)...</source>
            <translation>Calcul en arrière-plan (annulation possible depuis le gestionnaire de tâches)…</translation>
        </message>
        <message>
            <source>Computing: one travel-time tree per useful candidate site…</source>
            <translation>Calcul en cours : un arbre de temps de parcours par site candidat utile…</translation>
        </message>
        <message>
            <source>Convert text to outlines (print shop; the PDF text is then not searchable)</source>
            <translation>Convertir le texte en tracés (imprimeur ; le texte du PDF n'est alors plus consultable)</translation>
        </message>
        <message>
            <source>Coordinate check</source>
            <translation>Contrôle des coordonnées</translation>
        </message>
        <message>
            <source>Could not load {geo}: {error}</source>
            <translation>Impossible de charger {geo} : {error}</translation>
        </message>
        <message>
            <source>Could not reach {url}: {error}. Check the network connection and the proxy settings of QGIS (Settings &gt; Options &gt; Network), or use the cached copy.</source>
            <translation>Impossible de joindre {url} : {error}. Vérifiez la connexion réseau et les réglages de proxy de QGIS (Préférences &gt; Options &gt; Réseau), ou utilisez la copie en cache.</translation>
        </message>
        <message>
            <source>Coverage curve</source>
            <translation>Courbe de couverture</translation>
        </message>
        <message>
            <source>Coverage curve ({t:g} min)</source>
            <translation>Courbe de couverture ({t:g} min)</translation>
        </message>
        <message>
            <source>Cumulative bands</source>
            <translation>Tranches cumulées</translation>
        </message>
        <message>
            <source>DEFAULT_SPEED_KMH must be greater than zero.</source>
            <translation>DEFAULT_SPEED_KMH doit être supérieure à zéro.</translation>
        </message>
        <message>
            <source>Dataset: {}</source>
            <translation>Jeu de données : {}</translation>
        </message>
        <message>
            <source>Default format</source>
            <translation>Format par défaut</translation>
        </message>
        <message>
            <source>Default paper</source>
            <translation>Papier par défaut</translation>
        </message>
        <message>
            <source>Default resolution (dpi)</source>
            <translation>Résolution par défaut (dpi)</translation>
        </message>
        <message>
            <source>Default speed (km/h; generic profile)</source>
            <translation>Vitesse par défaut (km/h ; profil générique)</translation>
        </message>
        <message>
            <source>Departure from the origin</source>
            <translation>Départ de l'origine</translation>
        </message>
        <message>
            <source>Direction</source>
            <translation>Sens</translation>
        </message>
        <message>
            <source>Distance to the nearest zone (m)</source>
            <translation>Distance à la zone la plus proche (m)</translation>
        </message>
        <message>
            <source>Distance to the network (m)</source>
            <translation>Distance au réseau (m)</translation>
        </message>
        <message>
            <source>Done: {n} file(s); layout « {name} » kept in the project.</source>
            <translation>Terminé : {n} fichier(s) ; mise en page « {name} » conservée dans le projet.</translation>
        </message>
        <message>
            <source>Downloaded {mb} of {total} MB.</source>
            <translation>{mb} Mo téléchargés sur {total} Mo.</translation>
        </message>
        <message>
            <source>Downloads are kept in the cache: the next time is immediate.</source>
            <translation>Les téléchargements sont gardés en cache : la fois suivante est immédiate.</translation>
        </message>
        <message>
            <source>Draft (marked PROJET)</source>
            <translation>Projet (marqué PROJET)</translation>
        </message>
        <message>
            <source>Draft marked « PROJET ». Missing for a final map: {missing}.</source>
            <translation>Projet marqué « PROJET ». Il manque pour une carte définitive : {missing}.</translation>
        </message>
        <message>
            <source>Département</source>
            <translation>Département</translation>
        </message>
        <message>
            <source>EPCI</source>
            <translation>EPCI</translation>
        </message>
        <message>
            <source>Engine: {}</source>
            <translation>Moteur : {}</translation>
        </message>
        <message>
            <source>Existing service identifier field</source>
            <translation>Champ identifiant des services existants</translation>
        </message>
        <message>
            <source>Existing services</source>
            <translation>Services existants</translation>
        </message>
        <message>
            <source>Existing services (points, optional)</source>
            <translation>Services existants (points, facultatif)</translation>
        </message>
        <message>
            <source>Export</source>
            <translation>Exporter</translation>
        </message>
        <message>
            <source>Export cancelled: {path} was not written.</source>
            <translation>Export annulé : {path} n'a pas été écrit.</translation>
        </message>
        <message>
            <source>Export of {path} failed: {error}</source>
            <translation>L'export de {path} a échoué : {error}</translation>
        </message>
        <message>
            <source>Export of {path} failed: {reason} {detail}</source>
            <translation>L'export de {path} a échoué : {reason} {detail}</translation>
        </message>
        <message>
            <source>Export of {path} produced no file.</source>
            <translation>L'export de {path} n'a produit aucun fichier.</translation>
        </message>
        <message>
            <source>Exporting the map “{title}”</source>
            <translation>Export de la carte « {title} »</translation>
        </message>
        <message>
            <source>Extent (empty: the extent of the ticked layers)</source>
            <translation>Emprise (vide : l'emprise des couches cochées)</translation>
        </message>
        <message>
            <source>Extent of the layers</source>
            <translation>Emprise des couches</translation>
        </message>
        <message>
            <source>Facilities (points)</source>
            <translation>Équipements (points)</translation>
        </message>
        <message>
            <source>Facility identifier field</source>
            <translation>Champ identifiant de l'équipement</translation>
        </message>
        <message>
            <source>Feature {fid} of {what} has no geometry: skipped.</source>
            <translation>L'entité {fid} des {what} n'a pas de géométrie : ignorée.</translation>
        </message>
        <message>
            <source>Fictitious sample (demonstration data)</source>
            <translation>Exemple fictif (données de démonstration)</translation>
        </message>
        <message>
            <source>Fields of a previous run replaced: {fields}.</source>
            <translation>Champs d'un traitement précédent remplacés : {fields}.</translation>
        </message>
        <message>
            <source>File name changed: {note}</source>
            <translation>Nom de fichier modifié : {note}</translation>
        </message>
        <message>
            <source>Final (refused if incomplete)</source>
            <translation>Définitive (refusée si incomplète)</translation>
        </message>
        <message>
            <source>For each inhabitant unit (population grid, communes, addresses), the travel time to the nearest service and which one it is. Opens the Processing dialog.</source>
            <translation>Pour chaque unité de population (carreaux, communes, adresses), le temps de trajet jusqu'au service le plus proche et le service concerné. Ouvre la fenêtre du traitement.</translation>
        </message>
        <message>
            <source>Former commune code {old} replaced by {new} ({name}).</source>
            <translation>Ancien code commune {old} remplacé par {new} ({name}).</translation>
        </message>
        <message>
            <source>France (all)</source>
            <translation>France entière</translation>
        </message>
        <message>
            <source>France Services (fictitious)</source>
            <translation>France Services (fictives)</translation>
        </message>
        <message>
            <source>From (min)</source>
            <translation>De (min)</translation>
        </message>
        <message>
            <source>Further sources, separated by ;</source>
            <translation>Autres sources, séparées par ;</translation>
        </message>
        <message>
            <source>Further sources, separated by « ; » (added to those of the layers)</source>
            <translation>Autres sources, séparées par « ; » (ajoutées à celles des couches)</translation>
        </message>
        <message>
            <source>Gap zone – rest: {what}</source>
            <translation>Écart zone – reste : {what}</translation>
        </message>
        <message>
            <source>Generic (speed field or default speed)</source>
            <translation>Générique (champ de vitesse ou vitesse par défaut)</translation>
        </message>
        <message>
            <source>Geocoder</source>
            <translation>Géocodeur</translation>
        </message>
        <message>
            <source>Geocoder URL</source>
            <translation>URL du géocodeur</translation>
        </message>
        <message>
            <source>Geocoder URL (empty: plugin settings, else the Géoplateforme)</source>
            <translation>URL du géocodeur (vide : réglages de l'extension, sinon la Géoplateforme)</translation>
        </message>
        <message>
            <source>Geocoding</source>
            <translation>Géocodage</translation>
        </message>
        <message>
            <source>Geocoding batch {n}/{total} ({rows} addresses)…</source>
            <translation>Géocodage du lot {n}/{total} ({rows} adresses)…</translation>
        </message>
        <message>
            <source>Geocoding precision</source>
            <translation>Précision du géocodage</translation>
        </message>
        <message>
            <source>Geocoding score</source>
            <translation>Score de géocodage</translation>
        </message>
        <message>
            <source>Geocoding status</source>
            <translation>Statut du géocodage</translation>
        </message>
        <message>
            <source>Geocoding {n} addresses with {url}…</source>
            <translation>Géocodage de {n} adresses avec {url}…</translation>
        </message>
        <message>
            <source>Geocoding “{address}”</source>
            <translation>Géocodage de « {address} »</translation>
        </message>
        <message>
            <source>Geocoding: {summary}.</source>
            <translation>Géocodage : {summary}.</translation>
        </message>
        <message>
            <source>Geodata (*.geojson *.json *.gpkg *.shp *.zip *.csv *.xlsx);;All files (*)</source>
            <translation>Données géographiques (*.geojson *.json *.gpkg *.shp *.zip *.csv *.xlsx);;Tous les fichiers (*)</translation>
        </message>
        <message>
            <source>Geographies of the catalogue</source>
            <translation>Géographies du catalogue</translation>
        </message>
        <message>
            <source>Geography</source>
            <translation>Géographie</translation>
        </message>
        <message>
            <source>Give a number of new sites (NEW_SITES), a target share (TARGET_SHARE) or both.</source>
            <translation>Indiquez un nombre de nouveaux sites (NEW_SITES), une part de population visée (TARGET_SHARE) ou les deux.</translation>
        </message>
        <message>
            <source>Groupings</source>
            <translation>Groupements</translation>
        </message>
        <message>
            <source>How many people live within 10, 20, 30 minutes of the services, and which share of the population, per QPV or per commune: the table to quote in a note. Opens the access-time algorithm with the zones pre-filled; its table output holds the figures.</source>
            <translation>Combien d'habitants vivent à moins de 10, 20 ou 30 minutes des services, et quelle part de la population, par QPV ou par commune : le tableau à citer dans une note. Ouvre le traitement « Temps d'accès » avec les zones déjà renseignées ; les chiffres figurent dans sa table de sortie.</translation>
        </message>
        <message>
            <source>IGN BD TOPO</source>
            <translation>IGN BD TOPO</translation>
        </message>
        <message>
            <source>IGN BD TOPO 2 (older schema)</source>
            <translation>IGN BD TOPO 2 (ancien schéma)</translation>
        </message>
        <message>
            <source>IGN Géoplateforme</source>
            <translation>IGN Géoplateforme</translation>
        </message>
        <message>
            <source>IGN Géoplateforme answered something other than an isochrone object.</source>
            <translation>La Géoplateforme de l'IGN a renvoyé autre chose qu'une isochrone.</translation>
        </message>
        <message>
            <source>IGN Géoplateforme answered without a GeoJSON geometry (geometryFormat may not be supported by this endpoint): {url}</source>
            <translation>La Géoplateforme de l'IGN a répondu sans géométrie GeoJSON (ce point d'accès ne gère peut-être pas geometryFormat) : {url}</translation>
        </message>
        <message>
            <source>IGN Géoplateforme could not compute the isochrone: {message}</source>
            <translation>La Géoplateforme de l'IGN n'a pas pu calculer l'isochrone : {message}</translation>
        </message>
        <message>
            <source>IGN Géoplateforme has no bicycle profile (car and pedestrian only). For cycling, choose openrouteservice, Valhalla or the local road network.</source>
            <translation>La Géoplateforme de l'IGN ne propose pas de profil vélo (voiture et piéton uniquement). Pour le vélo, choisissez openrouteservice, Valhalla ou le réseau routier local.</translation>
        </message>
        <message>
            <source>IGN Géoplateforme refused the isochrone at ({x:.5f}, {y:.5f}), {m} min: {error}</source>
            <translation>La Géoplateforme de l'IGN a refusé l'isochrone au point ({x:.5f}, {y:.5f}), {m} min : {error}</translation>
        </message>
        <message>
            <source>INSEE publishes no population grid for {places}. Use the commune populations instead: the geography “communes” (field population) as POPULATION.</source>
            <translation>L'Insee ne publie pas de population carroyée pour {places}. Utilisez plutôt la population des communes : la géographie « communes » (champ population) comme POPULATION.</translation>
        </message>
        <message>
            <source>INSEE publishes no population grid for {places}: the &lt;b&gt;commune populations&lt;/b&gt; ({title}, field {field}) instead.</source>
            <translation>l'Insee ne publie pas de population carroyée pour {places} : la &lt;b&gt;population des communes&lt;/b&gt; ({title}, champ {field}) à la place.</translation>
        </message>
        <message>
            <source>Id in scripts: {id}</source>
            <translation>Identifiant dans les scripts : {id}</translation>
        </message>
        <message>
            <source>Images (*.svg *.png *.jpg *.jpeg)</source>
            <translation>Images (*.svg *.png *.jpg *.jpeg)</translation>
        </message>
        <message>
            <source>In the layout template {path}, these items have the wrong type: {ids}.</source>
            <translation>Dans le modèle de mise en page {path}, ces éléments n'ont pas le bon type : {ids}.</translation>
        </message>
        <message>
            <source>In the zone</source>
            <translation>Dans la zone</translation>
        </message>
        <message>
            <source>Indispensable existing services</source>
            <translation>Services existants indispensables</translation>
        </message>
        <message>
            <source>Indispensable services</source>
            <translation>Services indispensables</translation>
        </message>
        <message>
            <source>Indispensable services ({t:g} min)</source>
            <translation>Services indispensables ({t:g} min)</translation>
        </message>
        <message>
            <source>Industry</source>
            <translation>Industrie</translation>
        </message>
        <message>
            <source>Inside: {code} – {name}</source>
            <translation>Dans le quartier : {code} – {name}</translation>
        </message>
        <message>
            <source>Isochrone computation cancelled: nothing was added.</source>
            <translation>Calcul d'isochrone annulé : rien n'a été ajouté.</translation>
        </message>
        <message>
            <source>Isochrone from this point</source>
            <translation>Isochrone depuis ce point</translation>
        </message>
        <message>
            <source>Isochrones</source>
            <translation>Isochrones</translation>
        </message>
        <message>
            <source>Isochrones (travel-time bands)</source>
            <translation>Isochrones (tranches de temps de trajet)</translation>
        </message>
        <message>
            <source>Isochrones by {service} at {url} (profile {profile}, {direction}).</source>
            <translation>Isochrones calculées par {service} à l'adresse {url} (profil {profile}, {direction}).</translation>
        </message>
        <message>
            <source>Isochrones computed around {place}.</source>
            <translation>Isochrones calculées autour de {place}.</translation>
        </message>
        <message>
            <source>Isochrones {bands} min ({mode})</source>
            <translation>Isochrones {bands} min ({mode})</translation>
        </message>
        <message>
            <source>Isochrones – {place}</source>
            <translation>Isochrones – {place}</translation>
        </message>
        <message>
            <source>Isochrones…</source>
            <translation>Isochrones…</translation>
        </message>
        <message>
            <source>Join status</source>
            <translation>État de la jointure</translation>
        </message>
        <message>
            <source>Label</source>
            <translation>Étiquette</translation>
        </message>
        <message>
            <source>Label the services (point layers) with their names</source>
            <translation>Étiqueter les services (couches de points) avec leur nom</translation>
        </message>
        <message>
            <source>Landscape</source>
            <translation>Paysage</translation>
        </message>
        <message>
            <source>Layer</source>
            <translation>Couche</translation>
        </message>
        <message>
            <source>Layer “{layer}” not found in {path}.</source>
            <translation>Couche « {layer} » introuvable dans {path}.</translation>
        </message>
        <message>
            <source>Layers on the map</source>
            <translation>Couches sur la carte</translation>
        </message>
        <message>
            <source>Layers on the map (empty: the visible layers of the project)</source>
            <translation>Couches sur la carte (vide : les couches visibles du projet)</translation>
        </message>
        <message>
            <source>Layout left in the project</source>
            <translation>Mise en page laissée dans le projet</translation>
        </message>
        <message>
            <source>Layout template .qpt with the plugin's item ids (optional)</source>
            <translation>Modèle de mise en page .qpt avec les identifiants d'éléments de l'extension (facultatif)</translation>
        </message>
        <message>
            <source>Layout templates (*.qpt)</source>
            <translation>Modèles de mise en page (*.qpt)</translation>
        </message>
        <message>
            <source>Leave a field empty to use the official source of the catalogue. Otherwise give a mirror URL or a local file (GeoJSON, GeoPackage, shapefile, ZIP, CSV): useful offline or behind a restrictive proxy.</source>
            <translation>Laissez un champ vide pour utiliser la source officielle du catalogue. Sinon, indiquez l'URL d'un miroir ou un fichier local (GeoJSON, GeoPackage, shapefile, ZIP, CSV) : utile hors ligne ou derrière un proxy restrictif.</translation>
        </message>
        <message>
            <source>Left without any service</source>
            <translation>Sans aucun service accessible</translation>
        </message>
        <message>
            <source>Licence: {}</source>
            <translation>Licence : {}</translation>
        </message>
        <message>
            <source>Limit the geography to a territory (codes, comma-separated; empty = all)</source>
            <translation>Limiter la géographie à un territoire (codes séparés par des virgules ; vide = tout)</translation>
        </message>
        <message>
            <source>Link</source>
            <translation>Lien</translation>
        </message>
        <message>
            <source>Load</source>
            <translation>Charger</translation>
        </message>
        <message>
            <source>Load QPV 2024</source>
            <translation>Charger les QPV 2024</translation>
        </message>
        <message>
            <source>Load a priority geography</source>
            <translation>Charger une géographie prioritaire</translation>
        </message>
        <message>
            <source>Load an official geography (QPV, FRR, ACV, PVD...) for the chosen territory</source>
            <translation>Charger une géographie officielle (QPV, FRR, ACV, PVD…) pour le territoire choisi</translation>
        </message>
        <message>
            <source>Load and open</source>
            <translation>Charger et ouvrir</translation>
        </message>
        <message>
            <source>Load the QPV 2024 of the territory chosen on the toolbar (in the background)</source>
            <translation>Charger les QPV 2024 du territoire choisi dans la barre d'outils (en arrière-plan)</translation>
        </message>
        <message>
            <source>Loading QPV 2024… the answer will use them once loaded.</source>
            <translation>Chargement des QPV 2024… la réponse les utilisera une fois chargés.</translation>
        </message>
        <message>
            <source>Loading of {geo} cancelled.</source>
            <translation>Chargement de {geo} annulé.</translation>
        </message>
        <message>
            <source>Loading the zones</source>
            <translation>Chargement des zones</translation>
        </message>
        <message>
            <source>Loading {geo} for {territory}…</source>
            <translation>Chargement de {geo} pour {territory}…</translation>
        </message>
        <message>
            <source>Loading {geo} – {territory}</source>
            <translation>Chargement de {geo} – {territory}</translation>
        </message>
        <message>
            <source>Loads an official geography (QPV 2024, QPV 2015, FRR, ZRR, Action Cœur de Ville, Petites villes de demain, Territoires d'industrie, France Services, ZFU, CRTE, communes, EPCI, départements, régions) for a territory, from data.gouv.fr or the IGN Géoplateforme, or from the cache when offline.&lt;br&gt;&lt;br&gt;&lt;b&gt;Territory&lt;/b&gt;: codes separated by commas: département (93, 2A, 971), commune INSEE code (93066; Paris, Lyon and Marseille arrondissements accepted), EPCI SIREN (200054781), région with the prefix reg: (reg:11). Empty: all of France.&lt;br&gt;&lt;b&gt;Source&lt;/b&gt; (optional): a local file (GeoJSON, GeoPackage, shapefile, ZIP, CSV, XLSX; &lt;i&gt;file.gpkg|layername=layer&lt;/i&gt; for one layer) or a URL replacing the catalogue's source.&lt;br&gt;&lt;br&gt;&lt;b&gt;Local engine inputs&lt;/b&gt;: troncon_de_route is the IGN BD TOPO road network around the territory (plus &lt;i&gt;Margin&lt;/i&gt;, 20 km by default), downloaded page by page and kept in the cache; carreaux_200m and carreaux_1km are the INSEE Filosofi 2021 gridded population, whose national file is downloaded once (no grid exists for Guadeloupe, Guyane and Mayotte: use the communes' population).&lt;br&gt;&lt;br&gt;Output in Lambert-93 (official local CRS overseas), with the fields code, nom, insee_dep, millesime, the source's own fields, repaired geometries and the provenance (producer, vintage, URL, licence, dates) in the layer metadata.</source>
            <translation>Charge une géographie officielle (QPV 2024, QPV 2015, FRR, ZRR, Action Cœur de Ville, Petites villes de demain, Territoires d'industrie, France Services, ZFU, CRTE, communes, EPCI, départements, régions) pour un territoire, depuis data.gouv.fr ou la Géoplateforme de l'IGN, ou depuis le cache hors connexion.&lt;br&gt;&lt;br&gt;&lt;b&gt;Territoire&lt;/b&gt; : codes séparés par des virgules : département (93, 2A, 971), code INSEE de commune (93066 ; arrondissements de Paris, Lyon et Marseille acceptés), SIREN d'EPCI (200054781), région avec le préfixe reg: (reg:11). Vide : toute la France.&lt;br&gt;&lt;b&gt;Source&lt;/b&gt; (facultative) : un fichier local (GeoJSON, GeoPackage, shapefile, ZIP, CSV, XLSX ; &lt;i&gt;fichier.gpkg|layername=couche&lt;/i&gt; pour une couche) ou une URL remplaçant la source du catalogue.&lt;br&gt;&lt;br&gt;&lt;b&gt;Données du moteur local&lt;/b&gt; : troncon_de_route est le réseau routier BD TOPO de l'IGN autour du territoire (plus la &lt;i&gt;Marge&lt;/i&gt;, 20 km par défaut), téléchargé page par page et conservé dans le cache ; carreaux_200m et carreaux_1km sont la population carroyée Filosofi 2021 de l'Insee, dont le fichier national est téléchargé une seule fois (il n'existe pas de carroyage pour la Guadeloupe, la Guyane et Mayotte : utilisez la population des communes).&lt;br&gt;&lt;br&gt;Résultat en Lambert-93 (système local officiel outre-mer), avec les champs code, nom, insee_dep, millesime, les champs propres à la source, des géométries réparées et la provenance (producteur, millésime, URL, licence, dates) dans les métadonnées de la couche.</translation>
        </message>
        <message>
            <source>Loads the demonstration territory shipped with the plugin, without network: QPV, communes, France Services, road network and 200 m population grid. These data are FICTITIOUS: never present them as official data.</source>
            <translation>Charge le territoire de démonstration livré avec l'extension, sans réseau : QPV, communes, France Services, réseau routier et population carroyée à 200 m. Ces données sont FICTIVES : ne les présentez jamais comme des données officielles.</translation>
        </message>
        <message>
            <source>Local engine (offline)</source>
            <translation>Moteur local (hors ligne)</translation>
        </message>
        <message>
            <source>Local engine: road network and population</source>
            <translation>Moteur local : réseau routier et population</translation>
        </message>
        <message>
            <source>Local file {path} (modified {date}).</source>
            <translation>Fichier local {path} (modifié le {date}).</translation>
        </message>
        <message>
            <source>Local road network: computed on a line layer of the project, offline. IGN Géoplateforme: free, whole of France, car and walking only. openrouteservice: needs a free API key, also cycling. Valhalla: your own server or a public one.</source>
            <translation>Réseau routier local : calcul hors ligne sur une couche de lignes du projet. Géoplateforme de l'IGN : gratuite, toute la France, voiture et piéton uniquement. openrouteservice : nécessite une clé gratuite, propose aussi le vélo. Valhalla : votre propre serveur ou un serveur public.</translation>
        </message>
        <message>
            <source>Locate addresses in zones (is it in a QPV?)</source>
            <translation>Localiser des adresses dans des zones (est-ce en QPV ?)</translation>
        </message>
        <message>
            <source>Located places</source>
            <translation>Lieux localisés</translation>
        </message>
        <message>
            <source>MARGIN_M must be zero or more metres.</source>
            <translation>MARGIN_M doit être positive ou nulle (en mètres).</translation>
        </message>
        <message>
            <source>Map export cancelled.</source>
            <translation>Export de la carte annulé.</translation>
        </message>
        <message>
            <source>Map extent (empty: the extent of the layers)</source>
            <translation>Emprise de la carte (vide : l'emprise des couches)</translation>
        </message>
        <message>
            <source>Margin around the territory, road network only (m)</source>
            <translation>Marge autour du territoire, réseau routier seulement (m)</translation>
        </message>
        <message>
            <source>Maximum distance to the network (m)</source>
            <translation>Distance maximale au réseau (m)</translation>
        </message>
        <message>
            <source>Mean time (min)</source>
            <translation>Temps moyen (min)</translation>
        </message>
        <message>
            <source>Mean time if it closed (min)</source>
            <translation>Temps moyen s'il fermait (min)</translation>
        </message>
        <message>
            <source>Mean time today (min)</source>
            <translation>Temps moyen actuel (min)</translation>
        </message>
        <message>
            <source>Median time (min)</source>
            <translation>Temps médian (min)</translation>
        </message>
        <message>
            <source>Minimum geocoding score (below: answer unknown)</source>
            <translation>Score de géocodage minimal (en dessous : réponse indéterminée)</translation>
        </message>
        <message>
            <source>Minimum score</source>
            <translation>Score minimal</translation>
        </message>
        <message>
            <source>Minutes to the nearest service</source>
            <translation>Minutes jusqu'au service le plus proche</translation>
        </message>
        <message>
            <source>Missing for a final map: {missing}.</source>
            <translation>Il manque pour une carte définitive : {missing}.</translation>
        </message>
        <message>
            <source>Mode</source>
            <translation>Mode</translation>
        </message>
        <message>
            <source>Mode: draft or final</source>
            <translation>Mode : projet ou définitive</translation>
        </message>
        <message>
            <source>NEW_SITES must be a whole number of sites, at least 1.</source>
            <translation>NEW_SITES doit être un nombre entier de sites, au moins 1.</translation>
        </message>
        <message>
            <source>Name</source>
            <translation>Nom</translation>
        </message>
        <message>
            <source>Nearest service</source>
            <translation>Service le plus proche</translation>
        </message>
        <message>
            <source>Nearest zone: {nearest}, at {distance} m</source>
            <translation>Zone la plus proche : {nearest}, à {distance} m</translation>
        </message>
        <message>
            <source>Network profile</source>
            <translation>Profil du réseau</translation>
        </message>
        <message>
            <source>New sites</source>
            <translation>Nouveaux sites</translation>
        </message>
        <message>
            <source>New sites, at most</source>
            <translation>Nouveaux sites, au plus</translation>
        </message>
        <message>
            <source>No area is reachable within {band} min from the origins: check the network and the origins.</source>
            <translation>Aucune surface n'est atteignable en {band} min depuis les origines : vérifiez le réseau et les origines.</translation>
        </message>
        <message>
            <source>No cached copy of {url}; it must be downloaded once online.</source>
            <translation>Aucune copie en cache de {url} : elle doit être téléchargée une première fois en ligne.</translation>
        </message>
        <message>
            <source>No candidate site brings anyone more within {t:g} min: the {pop:.0f} people still beyond the threshold are out of reach of every candidate (k = 0). Propose candidates nearer to them (see the population still too far).</source>
            <translation>Aucun site candidat n'amène plus personne à moins de {t:g} min : les {pop:.0f} personnes encore au-delà du seuil sont hors de portée de tous les candidats (k = 0). Proposez des candidats plus proches d'elles (voir la population encore trop éloignée).</translation>
        </message>
        <message>
            <source>No candidate site is within {tol:.0f} m of the road network {name}: check that the layers cover the same area, or raise SNAP_TOLERANCE_M.</source>
            <translation>Aucun site candidat n'est à moins de {tol:.0f} m du réseau routier {name} : vérifiez que les couches couvrent la même zone, ou augmentez SNAP_TOLERANCE_M.</translation>
        </message>
        <message>
            <source>No candidate sites were given (CANDIDATES).</source>
            <translation>Aucun site candidat n'a été fourni (CANDIDATES).</translation>
        </message>
        <message>
            <source>No commune outline is available to filter {geo} for {territory}.</source>
            <translation>Aucun contour de commune n'est disponible pour filtrer {geo} sur {territory}.</translation>
        </message>
        <message>
            <source>No facility is within {tol:.0f} m of the road network {name}: check that the layers cover the same area, or raise SNAP_TOLERANCE_M.</source>
            <translation>Aucun équipement n'est à moins de {tol:.0f} m du réseau routier {name} : vérifiez que les couches couvrent la même zone, ou augmentez SNAP_TOLERANCE_M.</translation>
        </message>
        <message>
            <source>No facility layer was given (FACILITIES).</source>
            <translation>Aucune couche d'équipements n'a été fournie (FACILITIES).</translation>
        </message>
        <message>
            <source>No feature of {geo} in {territory}: the layer is empty.</source>
            <translation>Aucune entité de {geo} sur {territory} : la couche est vide.</translation>
        </message>
        <message>
            <source>No origin is within {tol:.0f} m of the road network {name}: check that the layers cover the same area, or raise SNAP_TOLERANCE_M.</source>
            <translation>Aucune origine n'est à moins de {tol:.0f} m du réseau routier {name} : vérifiez que les couches couvrent la même zone, ou augmentez SNAP_TOLERANCE_M.</translation>
        </message>
        <message>
            <source>No origin layer was given (INPUT).</source>
            <translation>Aucune couche d'origines n'a été fournie (INPUT).</translation>
        </message>
        <message>
            <source>No other candidate brings anyone more within the threshold.</source>
            <translation>Aucun autre candidat n'amène plus personne sous le seuil.</translation>
        </message>
        <message>
            <source>No outline of the départements {codes} is shipped with the plugin.</source>
            <translation>Aucun contour des départements {codes} n'est livré avec l'extension.</translation>
        </message>
        <message>
            <source>No place could be located (see geocode_status). Check the address column, or the geocoder answer.</source>
            <translation>Aucun lieu n'a pu être localisé (voir geocode_status). Vérifiez la colonne d'adresse ou la réponse du géocodeur.</translation>
        </message>
        <message>
            <source>No populated cell of {geo} in {territory}: INSEE publishes only cells with inhabitants. Use the commune populations for this territory (geography “communes”, field population).</source>
            <translation>Aucun carreau peuplé de {geo} dans {territory} : l'Insee ne publie que les carreaux habités. Utilisez la population des communes pour ce territoire (géographie « communes », champ population).</translation>
        </message>
        <message>
            <source>No population field: each population feature counts as 1.</source>
            <translation>Pas de champ de population : chaque entité compte pour 1.</translation>
        </message>
        <message>
            <source>No population layer was given (POPULATION).</source>
            <translation>Aucune couche de population n'a été fournie (POPULATION).</translation>
        </message>
        <message>
            <source>No resource of the data.gouv.fr dataset {id} matches {pattern}.</source>
            <translation>Aucune ressource du jeu de données data.gouv.fr {id} ne correspond à {pattern}.</translation>
        </message>
        <message>
            <source>No road section of {name} can be used for the mode {mode}.</source>
            <translation>Aucun tronçon de {name} n'est utilisable pour le mode {mode}.</translation>
        </message>
        <message>
            <source>No road section of {name} has a usable speed (all are empty, zero or negative): choose another SPEED_FIELD or set DEFAULT_SPEED_KMH.</source>
            <translation>Aucun tronçon de {name} n'a de vitesse utilisable (toutes sont vides, nulles ou négatives) : choisissez un autre SPEED_FIELD ou indiquez DEFAULT_SPEED_KMH.</translation>
        </message>
        <message>
            <source>No source of {geo} could be read ({n} addresses tried). Last error: {error} Connect to the network once, or point this source to a mirror or a local file (SOURCE parameter or plugin settings).</source>
            <translation>Aucune source de {geo} n'a pu être lue ({n} adresses essayées). Dernière erreur : {error} Connectez-vous une fois au réseau, ou faites pointer cette source vers un miroir ou un fichier local (paramètre SOURCE ou réglages de l'extension).</translation>
        </message>
        <message>
            <source>No time band was given: write minutes such as 5,10,15,20.</source>
            <translation>Aucune tranche de temps n'a été indiquée : saisissez des minutes, par exemple 5,10,15,20.</translation>
        </message>
        <message>
            <source>No travel-time band was given: enter minutes such as 5,10,15.</source>
            <translation>Aucune tranche de temps n'a été indiquée : saisissez des minutes, par exemple 5,10,15.</translation>
        </message>
        <message>
            <source>No valid road network layer was given (NETWORK).</source>
            <translation>Aucune couche de réseau routier valide n'a été fournie (NETWORK).</translation>
        </message>
        <message>
            <source>No visible layer to put on the map. Tick at least one layer in the Layers panel, or pass LAYERS.</source>
            <translation>Aucune couche visible à mettre sur la carte. Cochez au moins une couche dans le panneau Couches, ou renseignez LAYERS.</translation>
        </message>
        <message>
            <source>No {geo} feature in {territory}: the result is an empty layer. This is legitimate if the territory has none (check the codes otherwise).</source>
            <translation>Aucun objet {geo} sur {territory} : le résultat est une couche vide. C'est normal si le territoire n'en compte aucun (sinon, vérifiez les codes).</translation>
        </message>
        <message>
            <source>Non-overlapping bands</source>
            <translation>Tranches sans recouvrement</translation>
        </message>
        <message>
            <source>None of the typefaces {wanted} is installed: the map uses {family}. Install Marianne or Arial for the State look.</source>
            <translation>Aucune des polices {wanted} n'est installée : la carte utilise {family}. Installez Marianne ou Arial pour respecter la charte de l'État.</translation>
        </message>
        <message>
            <source>None of the {n} candidate sites is within {t:g} min of the residents ({pop:.0f} people): propose candidates nearer to them, or raise THRESHOLD_MIN.</source>
            <translation>Aucun des {n} sites candidats n'est à moins de {t:g} min des habitants ({pop:.0f} personnes) : proposez des candidats plus proches d'eux, ou augmentez THRESHOLD_MIN.</translation>
        </message>
        <message>
            <source>Not attached to the network</source>
            <translation>Non raccordés au réseau</translation>
        </message>
        <message>
            <source>Not attached to the network (non raccordés)</source>
            <translation>Non raccordés au réseau</translation>
        </message>
        <message>
            <source>Not enough disk space in the cache folder {folder}: nothing was kept of the unfinished file. Free some space (or move the cache with CGET_CACHE_DIR) and run again.</source>
            <translation>Espace disque insuffisant dans le dossier de cache {folder} : rien n'a été conservé du fichier inachevé. Libérez de la place (ou déplacez le cache avec CGET_CACHE_DIR) puis relancez.</translation>
        </message>
        <message>
            <source>Not now</source>
            <translation>Pas maintenant</translation>
        </message>
        <message>
            <source>Number of communes</source>
            <translation>Nombre de communes</translation>
        </message>
        <message>
            <source>Number of features</source>
            <translation>Nombre d'objets</translation>
        </message>
        <message>
            <source>Number of pages</source>
            <translation>Nombre de pages</translation>
        </message>
        <message>
            <source>Off-network walking distance (m; 0 = default of the mode)</source>
            <translation>Distance à pied hors réseau (m ; 0 = valeur par défaut du mode)</translation>
        </message>
        <message>
            <source>Official bloc-marque</source>
            <translation>Bloc-marque officiel</translation>
        </message>
        <message>
            <source>Official bloc-marque, SVG or PNG (empty: settings)</source>
            <translation>Bloc-marque officiel, SVG ou PNG (vide : réglages)</translation>
        </message>
        <message>
            <source>Offline or source unavailable: {note}.</source>
            <translation>Hors connexion ou source indisponible : {note}.</translation>
        </message>
        <message>
            <source>One file per feature (else one PDF)</source>
            <translation>Un fichier par entité (sinon un seul PDF)</translation>
        </message>
        <message>
            <source>One page per commune, QPV or EPCI: one PDF or one file per feature</source>
            <translation>Une page par commune, QPV ou EPCI : un PDF ou un fichier par entité</translation>
        </message>
        <message>
            <source>Open without loading</source>
            <translation>Ouvrir sans charger</translation>
        </message>
        <message>
            <source>OpenStreetMap</source>
            <translation>OpenStreetMap</translation>
        </message>
        <message>
            <source>Orientation</source>
            <translation>Orientation</translation>
        </message>
        <message>
            <source>Origin</source>
            <translation>Origine</translation>
        </message>
        <message>
            <source>Origin identifier field</source>
            <translation>Champ identifiant de l'origine</translation>
        </message>
        <message>
            <source>Origin {id} has coordinates ({x}, {y}) outside longitude/latitude ranges: remote routers need points in EPSG:4326 (WGS 84).</source>
            <translation>L'origine {id} a des coordonnées ({x}, {y}) hors des plages de longitude et latitude : les services en ligne demandent des points en EPSG:4326 (WGS 84).</translation>
        </message>
        <message>
            <source>Origin {id}: {error}</source>
            <translation>Origine {id} : {error}</translation>
        </message>
        <message>
            <source>Origin {item} is not (id, longitude, latitude).</source>
            <translation>L'origine {item} n'est pas de la forme (identifiant, longitude, latitude).</translation>
        </message>
        <message>
            <source>Origins (points)</source>
            <translation>Origines (points)</translation>
        </message>
        <message>
            <source>Output file (.pdf, .png, .svg) or folder for an atlas</source>
            <translation>Fichier de sortie (.pdf, .png, .svg) ou dossier pour un atlas</translation>
        </message>
        <message>
            <source>Output mode</source>
            <translation>Mode de sortie</translation>
        </message>
        <message>
            <source>Outside the zones of {zones}</source>
            <translation>Hors des zones de {zones}</translation>
        </message>
        <message>
            <source>Overall</source>
            <translation>Ensemble</translation>
        </message>
        <message>
            <source>Own template (.qpt, optional)</source>
            <translation>Modèle personnel (.qpt, facultatif)</translation>
        </message>
        <message>
            <source>PDF (print, vector)</source>
            <translation>PDF (impression, vectoriel)</translation>
        </message>
        <message>
            <source>PNG (e-mail, slides)</source>
            <translation>PNG (courriel, diaporama)</translation>
        </message>
        <message>
            <source>Page</source>
            <translation>Page</translation>
        </message>
        <message>
            <source>Paper size</source>
            <translation>Format du papier</translation>
        </message>
        <message>
            <source>Parameters: {}</source>
            <translation>Paramètres : {}</translation>
        </message>
        <message>
            <source>Places (point layer, or table with addresses)</source>
            <translation>Lieux (couche de points, ou table d'adresses)</translation>
        </message>
        <message>
            <source>Places located in: {zones}</source>
            <translation>Lieux localisés dans : {zones}</translation>
        </message>
        <message>
            <source>Point sources to mirrors or local files; geocoder settings</source>
            <translation>Rediriger les sources vers des miroirs ou des fichiers locaux ; réglages du géocodeur</translation>
        </message>
        <message>
            <source>Point {fid} of {what} cannot be converted from {src} to {dst}: its coordinates ({x}, {y}) lie outside that coordinate system. Check the CRS of the layer.</source>
            <translation>Le point {fid} des {what} ne peut pas être converti de {src} vers {dst} : ses coordonnées ({x}, {y}) sont hors de ce système de coordonnées. Vérifiez le SCR de la couche.</translation>
        </message>
        <message>
            <source>Point: {place}</source>
            <translation>Point : {place}</translation>
        </message>
        <message>
            <source>Points (town halls, sites you propose), or communes: one point inside each.</source>
            <translation>Des points (mairies, sites que vous proposez), ou des communes : un point à l'intérieur de chacune.</translation>
        </message>
        <message>
            <source>Polygon layer of the zones (load QPV 2024 from the catalogue menu first)</source>
            <translation>Couche de polygones des zones (chargez d'abord les QPV 2024 depuis le menu du catalogue)</translation>
        </message>
        <message>
            <source>Population</source>
            <translation>Population</translation>
        </message>
        <message>
            <source>Population (points or polygons)</source>
            <translation>Population (points ou polygones)</translation>
        </message>
        <message>
            <source>Population (points or polygons, optional)</source>
            <translation>Population (points ou polygones, facultatif)</translation>
        </message>
        <message>
            <source>Population beyond the threshold</source>
            <translation>Population au-delà du seuil</translation>
        </message>
        <message>
            <source>Population beyond {t:g} min</source>
            <translation>Population à plus de {t:g} min</translation>
        </message>
        <message>
            <source>Population beyond {t} min or not reachable</source>
            <translation>Population au-delà de {t} min ou non desservie</translation>
        </message>
        <message>
            <source>Population covered</source>
            <translation>Population couverte</translation>
        </message>
        <message>
            <source>Population covered ({mode})</source>
            <translation>Population couverte ({mode})</translation>
        </message>
        <message>
            <source>Population covered…</source>
            <translation>Population couverte…</translation>
        </message>
        <message>
            <source>Population field</source>
            <translation>Champ de population</translation>
        </message>
        <message>
            <source>Population gained</source>
            <translation>Population gagnée</translation>
        </message>
        <message>
            <source>Population not attached to the network</source>
            <translation>Population non raccordée au réseau</translation>
        </message>
        <message>
            <source>Population of the rest</source>
            <translation>Population du reste</translation>
        </message>
        <message>
            <source>Population still too far</source>
            <translation>Population encore trop éloignée</translation>
        </message>
        <message>
            <source>Population within the threshold</source>
            <translation>Population sous le seuil</translation>
        </message>
        <message>
            <source>Population within {t:g} min</source>
            <translation>Population à moins de {t:g} min</translation>
        </message>
        <message>
            <source>Population within {t} min</source>
            <translation>Population à {t} min ou moins</translation>
        </message>
        <message>
            <source>Population: {total:.0f}; within {t} min: {pop:.0f} ({share} %).</source>
            <translation>Population : {total:.0f} ; à {t} min ou moins : {pop:.0f} ({share} %).</translation>
        </message>
        <message>
            <source>Portrait</source>
            <translation>Portrait</translation>
        </message>
        <message>
            <source>Postcode field (optional)</source>
            <translation>Champ du code postal (facultatif)</translation>
        </message>
        <message>
            <source>Prefecture atlas</source>
            <translation>Atlas préfecture</translation>
        </message>
        <message>
            <source>Prefecture map</source>
            <translation>Carte préfecture</translation>
        </message>
        <message>
            <source>Prefecture map (PDF, PNG, SVG, atlas)</source>
            <translation>Carte préfecture (PDF, PNG, SVG, atlas)</translation>
        </message>
        <message>
            <source>Prefecture map – {title}</source>
            <translation>Carte préfecture – {title}</translation>
        </message>
        <message>
            <source>Prefecture maps</source>
            <translation>Cartes préfecture</translation>
        </message>
        <message>
            <source>Prefecture maps – settings</source>
            <translation>Cartes préfecture – réglages</translation>
        </message>
        <message>
            <source>Prefecture map…</source>
            <translation>Carte préfecture…</translation>
        </message>
        <message>
            <source>Preview</source>
            <translation>Aperçu</translation>
        </message>
        <message>
            <source>Preview the page here.</source>
            <translation>L'aperçu de la page s'affiche ici.</translation>
        </message>
        <message>
            <source>Priority geographies</source>
            <translation>Géographies prioritaires</translation>
        </message>
        <message>
            <source>Priority geography</source>
            <translation>Géographie prioritaire</translation>
        </message>
        <message>
            <source>Priority neighbourhoods 2024 (fictitious)</source>
            <translation>Quartiers prioritaires 2024 (fictifs)</translation>
        </message>
        <message>
            <source>Producer: {}</source>
            <translation>Producteur : {}</translation>
        </message>
        <message>
            <source>Proposal no. {rank}</source>
            <translation>Proposition n° {rank}</translation>
        </message>
        <message>
            <source>Proposed sites</source>
            <translation>Implantations proposées</translation>
        </message>
        <message>
            <source>Public services</source>
            <translation>Services publics</translation>
        </message>
        <message>
            <source>QGIS could not load the layout template {path}.</source>
            <translation>QGIS n'a pas pu charger le modèle de mise en page {path}.</translation>
        </message>
        <message>
            <source>REFERENCE_ZONES is ignored: there are no zones (ZONES) to compare with them.</source>
            <translation>REFERENCE_ZONES est ignoré : aucune zone (ZONES) à leur comparer.</translation>
        </message>
        <message>
            <source>Rank</source>
            <translation>Rang</translation>
        </message>
        <message>
            <source>Raw cell outlines (no smoothing of the band edges; same figures)</source>
            <translation>Contours bruts des cellules (bords des bandes non lissés ; mêmes chiffres)</translation>
        </message>
        <message>
            <source>Reference zone name field</source>
            <translation>Champ du nom des zones de comparaison</translation>
        </message>
        <message>
            <source>Replace an existing file</source>
            <translation>Remplacer un fichier existant</translation>
        </message>
        <message>
            <source>Replace existing files</source>
            <translation>Remplacer les fichiers existants</translation>
        </message>
        <message>
            <source>Residents served</source>
            <translation>Habitants desservis</translation>
        </message>
        <message>
            <source>Resolution (dpi)</source>
            <translation>Résolution (dpi)</translation>
        </message>
        <message>
            <source>Resource “{title}” of {date}.</source>
            <translation>Ressource « {title} » du {date}.</translation>
        </message>
        <message>
            <source>Rest: {what}</source>
            <translation>Reste : {what}</translation>
        </message>
        <message>
            <source>Resuming the download of {url} at {mb} MB.</source>
            <translation>Reprise du téléchargement de {url} à {mb} Mo.</translation>
        </message>
        <message>
            <source>Retrieved or computed on: {}</source>
            <translation>Récupéré ou calculé le : {}</translation>
        </message>
        <message>
            <source>Road network</source>
            <translation>Réseau routier</translation>
        </message>
        <message>
            <source>Road network (lines; local engine)</source>
            <translation>Réseau routier (lignes ; moteur local)</translation>
        </message>
        <message>
            <source>Road network already in the cache ({n} sections, {date}).</source>
            <translation>Réseau routier déjà dans le cache ({n} tronçons, {date}).</translation>
        </message>
        <message>
            <source>Road network and population (local engine)</source>
            <translation>Réseau routier et population (moteur local)</translation>
        </message>
        <message>
            <source>Road network line layer (BD TOPO troncon_de_route, OSM roads...).</source>
            <translation>Couche de lignes du réseau routier (BD TOPO troncon_de_route, routes OSM…).</translation>
        </message>
        <message>
            <source>Road network {name}: graph reused from this session's cache.</source>
            <translation>Réseau routier {name} : graphe repris du cache de la session.</translation>
        </message>
        <message>
            <source>Road network {name}: profile {profile}, {nodes} nodes, {edges} directed edges, built in {sec:.1f} s.</source>
            <translation>Réseau routier {name} : profil {profile}, {nodes} nœuds, {edges} arcs orientés, construit en {sec:.1f} s.</translation>
        </message>
        <message>
            <source>Road network: page {page}/{pages}, {n} of {total} sections{cached}.</source>
            <translation>Réseau routier : page {page}/{pages}, {n} tronçons sur {total}{cached}.</translation>
        </message>
        <message>
            <source>Root URL of a geocoding service with the /search and /search/csv API of the Géoplateforme (empty: IGN Géoplateforme).</source>
            <translation>URL racine d'un service de géocodage offrant l'API /search et /search/csv de la Géoplateforme (vide : Géoplateforme de l'IGN).</translation>
        </message>
        <message>
            <source>Router</source>
            <translation>Calculateur</translation>
        </message>
        <message>
            <source>Routing engine</source>
            <translation>Moteur de calcul d'itinéraire</translation>
        </message>
        <message>
            <source>Rurality</source>
            <translation>Ruralité</translation>
        </message>
        <message>
            <source>SIG Ville page</source>
            <translation>Fiche SIG Ville</translation>
        </message>
        <message>
            <source>SIG Ville page of the QPV</source>
            <translation>Fiche SIG Ville du quartier</translation>
        </message>
        <message>
            <source>SIG Ville page of the nearest QPV</source>
            <translation>Fiche SIG Ville du quartier le plus proche</translation>
        </message>
        <message>
            <source>SOURCE {path} is a folder, not a file.</source>
            <translation>SOURCE {path} est un dossier, pas un fichier.</translation>
        </message>
        <message>
            <source>SOURCE “{source}” is neither an existing file nor an http(s) URL. Give the path of a GeoJSON, GeoPackage, shapefile, ZIP or CSV file, or a URL.</source>
            <translation>SOURCE « {source} » n'est ni un fichier existant ni une URL http(s). Indiquez le chemin d'un fichier GeoJSON, GeoPackage, shapefile, ZIP ou CSV, ou une URL.</translation>
        </message>
        <message>
            <source>SVG</source>
            <translation>SVG</translation>
        </message>
        <message>
            <source>Save as</source>
            <translation>Enregistrer sous</translation>
        </message>
        <message>
            <source>Scenario map…</source>
            <translation>Carte du scénario…</translation>
        </message>
        <message>
            <source>Search</source>
            <translation>Rechercher</translation>
        </message>
        <message>
            <source>Search cancelled.</source>
            <translation>Recherche annulée.</translation>
        </message>
        <message>
            <source>Searching for the address…</source>
            <translation>Recherche de l'adresse…</translation>
        </message>
        <message>
            <source>Server message: {}</source>
            <translation>Message du serveur : {}</translation>
        </message>
        <message>
            <source>Service</source>
            <translation>Service</translation>
        </message>
        <message>
            <source>Service (Réalisation)</source>
            <translation>Service (Réalisation)</translation>
        </message>
        <message>
            <source>Settings</source>
            <translation>Réglages</translation>
        </message>
        <message>
            <source>Share (%)</source>
            <translation>Part (%)</translation>
        </message>
        <message>
            <source>Share beyond {t} min (%)</source>
            <translation>Part au-delà de {t} min (%)</translation>
        </message>
        <message>
            <source>Share of the population attached (%)</source>
            <translation>Part de la population raccordée (%)</translation>
        </message>
        <message>
            <source>Share within the threshold (%)</source>
            <translation>Part sous le seuil (%)</translation>
        </message>
        <message>
            <source>Share within {t} min (%)</source>
            <translation>Part à {t} min ou moins (%)</translation>
        </message>
        <message>
            <source>Sheet “{sheet}” not found in {path} (sheets: {names}).</source>
            <translation>Feuille « {sheet} » introuvable dans {path} (feuilles : {names}).</translation>
        </message>
        <message>
            <source>Show the “Priority geography” toolbar (View &gt; Toolbars) to choose a territory.</source>
            <translation>Affichez la barre d'outils « Géographie prioritaire » (Vue &gt; Barres d'outils) pour choisir un territoire.</translation>
        </message>
        <message>
            <source>Site added</source>
            <translation>Site ajouté</translation>
        </message>
        <message>
            <source>Site {k}: {cand}, +{gain:.0f} people, {share:.1f} % within {t:g} min.</source>
            <translation>Site {k} : {cand}, +{gain:.0f} habitants, {share:.1f} % à moins de {t:g} min.</translation>
        </message>
        <message>
            <source>Siting needs the local engine (BACKEND local with a road network in NETWORK): it builds one exact travel-time tree per candidate site, hundreds of them, which a remote router cannot answer within its quotas.</source>
            <translation>Le choix d'implantation demande le moteur local (BACKEND local avec un réseau routier dans NETWORK) : il calcule un arbre exact de temps de parcours par site candidat, des centaines, ce qu'un calculateur distant ne peut pas fournir dans ses quotas.</translation>
        </message>
        <message>
            <source>Siting of new services</source>
            <translation>Implantation de nouveaux services</translation>
        </message>
        <message>
            <source>Sizing the downloads for {territory}…</source>
            <translation>Estimation des téléchargements pour {territory}…</translation>
        </message>
        <message>
            <source>Sizing the road network and population of {territory}</source>
            <translation>Estimation du réseau routier et de la population de {territory}</translation>
        </message>
        <message>
            <source>Source (optional local file or URL replacing the catalogue)</source>
            <translation>Source (fichier local ou URL facultatifs, à la place du catalogue)</translation>
        </message>
        <message>
            <source>Source date: {}</source>
            <translation>Date de la source : {}</translation>
        </message>
        <message>
            <source>Source: {}</source>
            <translation>Source : {}</translation>
        </message>
        <message>
            <source>Sources</source>
            <translation>Sources</translation>
        </message>
        <message>
            <source>Sources and mirrors</source>
            <translation>Sources et miroirs</translation>
        </message>
        <message>
            <source>Sources and mirrors…</source>
            <translation>Sources et miroirs…</translation>
        </message>
        <message>
            <source>Spatial filter on the commune outlines: {n} of {total} objects kept.</source>
            <translation>Filtre spatial sur les contours communaux : {n} objets conservés sur {total}.</translation>
        </message>
        <message>
            <source>Speed field (km/h; generic profile)</source>
            <translation>Champ de vitesse (km/h ; profil générique)</translation>
        </message>
        <message>
            <source>Style of the CGET plugin</source>
            <translation>Style de l'extension CGET</translation>
        </message>
        <message>
            <source>Subtitle</source>
            <translation>Sous-titre</translation>
        </message>
        <message>
            <source>TARGET_SHARE is a percentage of the population: above 0, at most 100.</source>
            <translation>TARGET_SHARE est un pourcentage de la population : plus de 0, au plus 100.</translation>
        </message>
        <message>
            <source>Target share of the population (%)</source>
            <translation>Part de la population visée (%)</translation>
        </message>
        <message>
            <source>Tell for each row of a table or point layer whether it is in a QPV</source>
            <translation>Indiquer, pour chaque ligne d'une table ou d'une couche de points, si elle est en QPV</translation>
        </message>
        <message>
            <source>Tells, for each place, whether it lies in a zone of a priority geography (QPV 2024 by default), which one, and how far the nearest zone is.

Input: a point layer, or a table (CSV...) with an address column. Addresses are geocoded in batch by the IGN Géoplateforme (Base Adresse Nationale); several columns (number, street, postcode, town) are joined in order. A commune code (INSEE) or postcode column makes the geocoding more reliable.

Zones: a geography of the catalogue, optionally limited to a territory, or your own polygon layer.

Added fields: in_zone (true, false, or NULL when unknown: address not found or score below the threshold), zone_code, zone_nom, distance_m (0 inside), a link to the SIG Ville page of the QPV, geocode_score, geocode_status (ok, score faible, non trouvé, adresse vide, erreur) and geocode_label. No row is dropped.</source>
            <translation>Indique, pour chaque lieu, s'il se trouve dans une zone d'une géographie prioritaire (QPV 2024 par défaut), laquelle, et à quelle distance se trouve la zone la plus proche.

Entrée : une couche de points, ou une table (CSV…) avec une colonne d'adresse. Les adresses sont géocodées par lot par la Géoplateforme de l'IGN (Base Adresse Nationale) ; plusieurs colonnes (numéro, voie, code postal, commune) sont assemblées dans l'ordre. Une colonne de code commune (INSEE) ou de code postal fiabilise le géocodage.

Zones : une géographie du catalogue, éventuellement limitée à un territoire, ou votre propre couche de polygones.

Champs ajoutés : in_zone (vrai, faux, ou NULL si indéterminé : adresse non trouvée ou score inférieur au seuil), zone_code, zone_nom, distance_m (0 à l'intérieur), un lien vers la fiche SIG Ville du QPV, geocode_score, geocode_status (ok, score faible, non trouvé, adresse vide, erreur) et geocode_label. Aucune ligne n'est supprimée.</translation>
        </message>
        <message>
            <source>Territory</source>
            <translation>Territoire</translation>
        </message>
        <message>
            <source>Territory (codes, comma-separated; empty = all of France)</source>
            <translation>Territoire (codes séparés par des virgules ; vide = toute la France)</translation>
        </message>
        <message>
            <source>Territory (name or code)</source>
            <translation>Territoire (nom ou code)</translation>
        </message>
        <message>
            <source>Territory to load: a département, EPCI, commune or région, by name or code (93, 2A, 971, 93066, 200054781, reg:11), several separated by commas. Empty: all of France.
Reference: {vintage}</source>
            <translation>Territoire à charger : département, EPCI, commune ou région, par nom ou par code (93, 2A, 971, 93066, 200054781, reg:11), plusieurs séparés par des virgules. Vide : France entière.
Référentiel : {vintage}</translation>
        </message>
        <message>
            <source>Territory, spatial unit and vintage</source>
            <translation>Territoire, maille et millésime</translation>
        </message>
        <message>
            <source>Territory: {errors} Valid forms: département 93, 2A, 971; commune 93066; EPCI SIREN 200054781; région reg:11.</source>
            <translation>Territoire : {errors} Formes valides : département 93, 2A, 971 ; commune 93066 ; SIREN d'EPCI 200054781 ; région reg:11.</translation>
        </message>
        <message>
            <source>Testing the places against the zones</source>
            <translation>Test des lieux dans les zones</translation>
        </message>
        <message>
            <source>Text as outlines (print shop)</source>
            <translation>Texte en tracés (imprimeur)</translation>
        </message>
        <message>
            <source>The BD TOPO 2 network has no sens field.</source>
            <translation>Le réseau BD TOPO 2 n'a pas de champ sens.</translation>
        </message>
        <message>
            <source>The BD TOPO network has no vitesse_moyenne_vl field: choose the generic profile.</source>
            <translation>Le réseau BD TOPO n'a pas de champ vitesse_moyenne_vl : choisissez le profil générique.</translation>
        </message>
        <message>
            <source>The OSM network has no highway field: choose another profile.</source>
            <translation>Le réseau OSM n'a pas de champ highway : choisissez un autre profil.</translation>
        </message>
        <message>
            <source>The Processing algorithm {id} is not available: check that the CGET plugin and the Processing plugin are enabled (Plugins &gt; Manage and Install Plugins), then try again.</source>
            <translation>Le traitement {id} n'est pas disponible : vérifiez que l'extension CGET et l'extension Processing sont activées (Extensions &gt; Installer/Gérer les extensions), puis réessayez.</translation>
        </message>
        <message>
            <source>The SVG file {path} cannot be read.</source>
            <translation>Le fichier SVG {path} est illisible.</translation>
        </message>
        <message>
            <source>The WFS answer is not a GeoJSON feature collection: {text}</source>
            <translation>La réponse du WFS n'est pas une collection d'objets GeoJSON : {text}</translation>
        </message>
        <message>
            <source>The WFS did not say how many road sections it holds.</source>
            <translation>Le WFS n'a pas indiqué combien de tronçons de route il contient.</translation>
        </message>
        <message>
            <source>The WFS refused the filter on {field}; trying the older field names.</source>
            <translation>Le WFS a refusé le filtre sur {field} ; essai avec les anciens noms de champs.</translation>
        </message>
        <message>
            <source>The WFS returned invalid JSON.</source>
            <translation>Le WFS a renvoyé un JSON invalide.</translation>
        </message>
        <message>
            <source>The WFS served no road section around {territory}.</source>
            <translation>Le WFS n'a servi aucun tronçon de route autour de {territory}.</translation>
        </message>
        <message>
            <source>The WFS {url} announced {matched} objects but served only {served}: the result is incomplete. Run again later: the pages already downloaded are kept.</source>
            <translation>Le WFS {url} a annoncé {matched} objets mais n'en a servi que {served} : le résultat est incomplet. Relancez plus tard : les pages déjà téléchargées sont conservées.</translation>
        </message>
        <message>
            <source>The address "{q}" is too short: type at least 3 characters.</source>
            <translation>L'adresse « {q} » est trop courte : saisissez au moins 3 caractères.</translation>
        </message>
        <message>
            <source>The algorithm cget:siting is not available.</source>
            <translation>L'algorithme cget:siting n'est pas disponible.</translation>
        </message>
        <message>
            <source>The archive {path} holds no GeoPackage ({names}).</source>
            <translation>L'archive {path} ne contient aucun GeoPackage ({names}).</translation>
        </message>
        <message>
            <source>The archive {path} holds no GeoPackage.</source>
            <translation>L'archive {path} ne contient aucun GeoPackage.</translation>
        </message>
        <message>
            <source>The archive {path} holds no readable data file ({names}).</source>
            <translation>L'archive {path} ne contient aucun fichier de données lisible ({names}).</translation>
        </message>
        <message>
            <source>The area reached needs {cells} million cells of {cell} m: set a larger CELL_SIZE_M (e.g. {suggest} m).</source>
            <translation>La zone atteinte demande {cells} millions de cellules de {cell} m : augmentez CELL_SIZE_M (par exemple {suggest} m).</translation>
        </message>
        <message>
            <source>The atlas has no page: its layer has no feature.</source>
            <translation>L'atlas n'a aucune page : sa couche n'a aucune entité.</translation>
        </message>
        <message>
            <source>The atlas layer « {name} » has no feature to map (after its filter).</source>
            <translation>La couche de l'atlas « {name} » n'a aucune entité à cartographier (après son filtre).</translation>
        </message>
        <message>
            <source>The atlas layer « {name} » has no feature: there is no page to make.</source>
            <translation>La couche de l'atlas « {name} » n'a aucune entité : il n'y a aucune page à produire.</translation>
        </message>
        <message>
            <source>The authentication configuration “{id}” has no key: store the openrouteservice key as its password (Basic method) or token.</source>
            <translation>La configuration d'authentification « {id} » ne contient pas de clé : enregistrez la clé openrouteservice comme mot de passe (méthode Basic) ou comme jeton.</translation>
        </message>
        <message>
            <source>The authentication configuration “{id}” holding the openrouteservice key cannot be read (unknown id, or the master password was not entered). Check it in Settings &gt; Options &gt; Authentication.</source>
            <translation>La configuration d'authentification « {id} » contenant la clé openrouteservice est illisible (identifiant inconnu, ou mot de passe principal non saisi). Vérifiez-la dans Préférences &gt; Options &gt; Authentification.</translation>
        </message>
        <message>
            <source>The bloc-marque file {path} does not exist. Choose the official SVG or PNG file of your prefecture (Réglages of the Cartes préfecture toolbar).</source>
            <translation>Le fichier de bloc-marque {path} n'existe pas. Choisissez le fichier officiel SVG ou PNG de votre préfecture (Réglages de la barre Cartes préfecture).</translation>
        </message>
        <message>
            <source>The bloc-marque file {path} is not a readable image.</source>
            <translation>Le fichier de bloc-marque {path} n'est pas une image lisible.</translation>
        </message>
        <message>
            <source>The bloc-marque file {path} is not an SVG, PNG or JPEG image. Convert the official file (EPS, PDF, TIFF) to SVG or PNG at 300 dpi.</source>
            <translation>Le fichier de bloc-marque {path} n'est pas une image SVG, PNG ou JPEG. Convertissez le fichier officiel (EPS, PDF, TIFF) en SVG ou en PNG à 300 dpi.</translation>
        </message>
        <message>
            <source>The bloc-marque image is {px} px wide: at {dpi} dpi and {mm:.0f} mm wide it needs {needed} px. Use the SVG or a larger PNG from the official kit, or it will print blurred.</source>
            <translation>L'image du bloc-marque fait {px} px de large : à {dpi} dpi sur {mm:.0f} mm de large, il en faut {needed}. Utilisez le SVG ou un PNG plus grand du kit officiel, sinon l'impression sera floue.</translation>
        </message>
        <message>
            <source>The cached road network {path} cannot be read.</source>
            <translation>Le réseau routier en cache {path} est illisible.</translation>
        </message>
        <message>
            <source>The catalogue {path} is invalid: entry {gid} lacks {keys}.</source>
            <translation>Le catalogue {path} est invalide : il manque {keys} à l'entrée {gid}.</translation>
        </message>
        <message>
            <source>The catalogue {path} is invalid: {problems}.</source>
            <translation>Le catalogue {path} est invalide : {problems}.</translation>
        </message>
        <message>
            <source>The catalogue {path} is not valid JSON: {detail}.</source>
            <translation>Le catalogue {path} n'est pas un JSON valide : {detail}.</translation>
        </message>
        <message>
            <source>The computation could not start: see the message bar.</source>
            <translation>Le calcul n'a pas pu démarrer : voir la barre de messages.</translation>
        </message>
        <message>
            <source>The coverage curve appears here after the computation.</source>
            <translation>La courbe de couverture s'affiche ici après le calcul.</translation>
        </message>
        <message>
            <source>The daily quota of your openrouteservice key is used up (HTTP 403). It is restored 24 hours after the first requests of the day. Meanwhile, use IGN Géoplateforme (car, walk), a Valhalla server or the local road network, or another openrouteservice key or plan.</source>
            <translation>Le quota journalier de votre clé openrouteservice est épuisé (HTTP 403). Il est rétabli 24 heures après les premières requêtes de la journée. D'ici là, utilisez la Géoplateforme de l'IGN (voiture, piéton), un serveur Valhalla ou le réseau routier local, ou une autre clé ou offre openrouteservice.</translation>
        </message>
        <message>
            <source>The département outlines {path} cannot be read. Reinstall the plugin.</source>
            <translation>Les contours des départements {path} sont illisibles. Réinstallez l'extension.</translation>
        </message>
        <message>
            <source>The existing services already bring {share:.1f} % of the population within {t:g} min, above the target of {target:g} %: no new site is needed (k = 0).</source>
            <translation>Les services existants amènent déjà {share:.1f} % de la population à moins de {t:g} min, au-dessus de l'objectif de {target:g} % : aucun nouveau site n'est nécessaire (k = 0).</translation>
        </message>
        <message>
            <source>The field “{field}” ({param}) is not in the table {layer}. Available fields: {fields}. Choose the column that holds the addresses.</source>
            <translation>Le champ « {field} » ({param}) n'existe pas dans la table {layer}. Champs disponibles : {fields}. Choisissez la colonne qui contient les adresses.</translation>
        </message>
        <message>
            <source>The file(s) {files} already exist. Choose another name, or allow overwriting (OVERWRITE).</source>
            <translation>Le ou les fichiers {files} existent déjà. Choisissez un autre nom, ou autorisez le remplacement (OVERWRITE).</translation>
        </message>
        <message>
            <source>The geocoder returned {got} of {sent} rows (truncated answer?). The {n} missing rows are kept with the status "erreur": run again to retry.</source>
            <translation>Le géocodeur a renvoyé {got} lignes sur {sent} (réponse tronquée ?). Les {n} lignes manquantes sont conservées avec le statut « erreur » : relancez pour réessayer.</translation>
        </message>
        <message>
            <source>The geocoder {host} answered with an HTML page instead of CSV (maintenance page or wrong address). Check the geocoder address in the plugin settings or try again later.</source>
            <translation>Le géocodeur {host} a répondu par une page HTML au lieu d'un CSV (page de maintenance ou adresse erronée). Vérifiez l'adresse du géocodeur dans les réglages de l'extension ou réessayez plus tard.</translation>
        </message>
        <message>
            <source>The geocoder {host} answered with text that is not UTF-8.</source>
            <translation>Le géocodeur {host} a répondu par un texte qui n'est pas en UTF-8.</translation>
        </message>
        <message>
            <source>The geocoder {host} returned a CSV without the row identifier column; it is not the answer of a /search/csv service.</source>
            <translation>Le géocodeur {host} a renvoyé un CSV sans la colonne d'identifiant de ligne : ce n'est pas la réponse d'un service /search/csv.</translation>
        </message>
        <message>
            <source>The geocoder {host} returned an empty answer.</source>
            <translation>Le géocodeur {host} a renvoyé une réponse vide.</translation>
        </message>
        <message>
            <source>The geocoder {host} returned an unreadable CSV.</source>
            <translation>Le géocodeur {host} a renvoyé un CSV illisible.</translation>
        </message>
        <message>
            <source>The geocoder {url} answered with an HTML page instead of data. Check the geocoder address in the plugin settings.</source>
            <translation>Le géocodeur {url} a répondu par une page HTML au lieu de données. Vérifiez l'adresse du géocodeur dans les réglages de l'extension.</translation>
        </message>
        <message>
            <source>The geocoder {url} did not return a GeoCodeJSON feature collection. Check the geocoder address in the plugin settings.</source>
            <translation>Le géocodeur {url} n'a pas renvoyé de collection GeoCodeJSON. Vérifiez l'adresse du géocodeur dans les réglages de l'extension.</translation>
        </message>
        <message>
            <source>The geography {gid} could not be loaded.</source>
            <translation>La géographie {gid} n'a pas pu être chargée.</translation>
        </message>
        <message>
            <source>The geography {gid} is not made of polygons: choose a zoning (QPV, FRR, communes...).</source>
            <translation>La géographie {gid} n'est pas faite de polygones : choisissez un zonage (QPV, FRR, communes…).</translation>
        </message>
        <message>
            <source>The input has point geometries: they are used, the addresses are not geocoded.</source>
            <translation>L'entrée a des géométries ponctuelles : elles sont utilisées, les adresses ne sont pas géocodées.</translation>
        </message>
        <message>
            <source>The input layer (INPUT) could not be read.</source>
            <translation>La couche d'entrée (INPUT) n'a pas pu être lue.</translation>
        </message>
        <message>
            <source>The input layer {layer} has no rows: nothing to locate.</source>
            <translation>La couche d'entrée {layer} n'a aucune ligne : rien à localiser.</translation>
        </message>
        <message>
            <source>The input layer {layer} holds {kind}: give points, or a table without geometry with an address column (ADDRESS_FIELD).</source>
            <translation>La couche d'entrée {layer} est de type {kind} : fournissez des points, ou une table sans géométrie avec une colonne d'adresse (ADDRESS_FIELD).</translation>
        </message>
        <message>
            <source>The isochrone computation produced no layer.</source>
            <translation>Le calcul d'isochrone n'a produit aucune couche.</translation>
        </message>
        <message>
            <source>The largest band ({value} min) is above {max} minutes: this tool computes local accessibility, use fewer or shorter bands.</source>
            <translation>La plus grande tranche ({value} min) dépasse {max} minutes : cet outil calcule une accessibilité de proximité, utilisez des tranches moins nombreuses ou plus courtes.</translation>
        </message>
        <message>
            <source>The layer of {what} is empty: give at least one point.</source>
            <translation>La couche des {what} est vide : indiquez au moins un point.</translation>
        </message>
        <message>
            <source>The layer {name} has no valid coordinate reference system: set its CRS.</source>
            <translation>La couche {name} n'a pas de système de coordonnées valide : définissez son SCR.</translation>
        </message>
        <message>
            <source>The layer {name} is in {crs} (not in metres): it is reprojected to {target} for the computation.</source>
            <translation>La couche {name} est en {crs} (pas en mètres) : elle est reprojetée en {target} pour le calcul.</translation>
        </message>
        <message>
            <source>The layers are added to the project, then the dialog opens with them.</source>
            <translation>Les couches sont ajoutées au projet, puis la boîte de dialogue s'ouvre avec elles.</translation>
        </message>
        <message>
            <source>The layers have no extent: they are empty or have no geometry.</source>
            <translation>Les couches n'ont pas d'emprise : elles sont vides ou sans géométrie.</translation>
        </message>
        <message>
            <source>The layout is not kept: this Processing context has no project (the map was built in a temporary one). Run the algorithm from QGIS or give the context a project to keep the layout for editing.</source>
            <translation>La mise en page n'est pas conservée : ce contexte Processing n'a pas de projet (la carte a été construite dans un projet temporaire). Lancez l'algorithme depuis QGIS, ou donnez un projet au contexte pour garder la mise en page et la retoucher.</translation>
        </message>
        <message>
            <source>The layout template {path} does not exist. Choose an existing .qpt file or clear the template setting to use the plugin's templates.</source>
            <translation>Le modèle de mise en page {path} n'existe pas. Choisissez un fichier .qpt existant, ou videz le réglage du modèle pour utiliser ceux de l'extension.</translation>
        </message>
        <message>
            <source>The layout template {path} is not a valid .qpt (XML) file.</source>
            <translation>Le modèle de mise en page {path} n'est pas un fichier .qpt (XML) valide.</translation>
        </message>
        <message>
            <source>The layout template {path} lacks the item id(s): {ids}. Give these ids to the matching items in the layout editor (Item properties &gt; Id), or use the plugin's templates.</source>
            <translation>Il manque au modèle de mise en page {path} le ou les identifiants d'éléments : {ids}. Donnez ces identifiants aux éléments correspondants dans l'éditeur de mise en page (Propriétés de l'objet &gt; Identifiant), ou utilisez les modèles de l'extension.</translation>
        </message>
        <message>
            <source>The legend is larger than its panel: shorten the layer names or reduce the number of classes, or use A3.</source>
            <translation>La légende dépasse son cadre : raccourcissez les noms des couches, réduisez le nombre de classes ou passez en A3.</translation>
        </message>
        <message>
            <source>The list of {geo} has no commune code column (expected one of {names}).</source>
            <translation>La liste {geo} n'a pas de colonne de code commune (attendu : {names}).</translation>
        </message>
        <message>
            <source>The local engine needs a road network, and the project has none. Load for &lt;b&gt;{territory}&lt;/b&gt;:</source>
            <translation>Le moteur local a besoin d'un réseau routier, et le projet n'en contient aucun. Charger pour &lt;b&gt;{territory}&lt;/b&gt; :</translation>
        </message>
        <message>
            <source>The local engine needs a road network: choose a line layer in NETWORK.</source>
            <translation>Le moteur local a besoin d'un réseau routier : choisissez une couche de lignes dans NETWORK.</translation>
        </message>
        <message>
            <source>The map extent has zero area ({w:g} × {h:g}). Draw an extent, or choose a layer or territory to frame the map.</source>
            <translation>L'emprise de la carte a une surface nulle ({w:g} × {h:g}). Dessinez une emprise, ou choisissez une couche ou un territoire pour cadrer la carte.</translation>
        </message>
        <message>
            <source>The map extent has zero area.</source>
            <translation>L'emprise de la carte a une surface nulle.</translation>
        </message>
        <message>
            <source>The national file {path} has no layer for {area} (layers: {names}).</source>
            <translation>Le fichier national {path} n'a pas de couche pour {area} (couches : {names}).</translation>
        </message>
        <message>
            <source>The network is added to the project and chosen in the panel.</source>
            <translation>Le réseau est ajouté au projet et choisi dans le panneau.</translation>
        </message>
        <message>
            <source>The openrouteservice key could not be stored in the QGIS authentication database: set a master password in Settings &gt; Options &gt; Authentication.</source>
            <translation>La clé openrouteservice n'a pas pu être enregistrée dans la base d'authentification de QGIS : définissez un mot de passe principal dans Préférences &gt; Options &gt; Authentification.</translation>
        </message>
        <message>
            <source>The output folder {folder} is not writable. Choose another folder.</source>
            <translation>Le dossier de sortie {folder} n'est pas accessible en écriture. Choisissez un autre dossier.</translation>
        </message>
        <message>
            <source>The output {path} must end in .pdf, .png or .svg.</source>
            <translation>La sortie {path} doit se terminer par .pdf, .png ou .svg.</translation>
        </message>
        <message>
            <source>The output “{output}” ({destination}) refused a feature after {count} written: {reason}. The run was stopped rather than leave features out: choose another destination or format.</source>
            <translation>La sortie « {output} » ({destination}) a refusé une entité après {count} écrites : {reason}. Le traitement a été arrêté plutôt que de laisser des entités de côté : choisissez une autre destination ou un autre format.</translation>
        </message>
        <message>
            <source>The output “{output}” ({name}) could not be created: check its destination.</source>
            <translation>La sortie « {output} » ({name}) n'a pas pu être créée : vérifiez sa destination.</translation>
        </message>
        <message>
            <source>The parameters are not valid.</source>
            <translation>Les paramètres ne sont pas valides.</translation>
        </message>
        <message>
            <source>The plugin never draws the Marianne nor the bloc-marque: give the official file (SVG, or PNG at 300 dpi) supplied by your prefecture's communication service. Without it, maps are drafts marked « PROJET ».</source>
            <translation>L'extension ne dessine jamais la Marianne ni le bloc-marque : indiquez le fichier officiel (SVG, ou PNG à 300 dpi) fourni par le service communication de votre préfecture. Sans lui, les cartes sont des projets marqués « PROJET ».</translation>
        </message>
        <message>
            <source>The population field {field} is not in {layer}.</source>
            <translation>Le champ de population {field} n'existe pas dans {layer}.</translation>
        </message>
        <message>
            <source>The population field {field} of {layer} has a negative or invalid value ({value} in feature {fid}): correct it or choose another field.</source>
            <translation>Le champ de population {field} de {layer} contient une valeur négative ou invalide ({value} pour l'entité {fid}) : corrigez-la ou choisissez un autre champ.</translation>
        </message>
        <message>
            <source>The population field {field} of {layer} holds text ({value!r} in feature {fid}): choose a numeric field.</source>
            <translation>Le champ de population {field} de {layer} contient du texte ({value!r} pour l'entité {fid}) : choisissez un champ numérique.</translation>
        </message>
        <message>
            <source>The population input must be a vector layer.</source>
            <translation>La population doit être une couche vecteur.</translation>
        </message>
        <message>
            <source>The population layer {name} is empty.</source>
            <translation>La couche de population {name} est vide.</translation>
        </message>
        <message>
            <source>The population layer {name} must hold points or polygons.</source>
            <translation>La couche de population {name} doit contenir des points ou des polygones.</translation>
        </message>
        <message>
            <source>The population polygons are sampled every {step:.0f} m (large extent).</source>
            <translation>Les polygones de population sont échantillonnés tous les {step:.0f} m (grande emprise).</translation>
        </message>
        <message>
            <source>The public openrouteservice API computes {profile} isochrones up to {limit} min only. Use smaller bands, IGN Géoplateforme or the local network.</source>
            <translation>L'API publique d'openrouteservice ne calcule les isochrones {profile} que jusqu'à {limit} min. Utilisez des tranches plus courtes, la Géoplateforme de l'IGN ou le réseau local.</translation>
        </message>
        <message>
            <source>The request to {url} failed (HTTP {status}).</source>
            <translation>La requête vers {url} a échoué (HTTP {status}).</translation>
        </message>
        <message>
            <source>The response of {service} at {url} is incomplete or is not JSON ({n} bytes): the connection may have been cut. Try again later.</source>
            <translation>La réponse de {service} ({url}) est incomplète ou n'est pas du JSON ({n} octets) : la connexion a peut-être été interrompue. Réessayez plus tard.</translation>
        </message>
        <message>
            <source>The road network has no known speed field (BD TOPO, OSM) and neither a speed field nor a default speed was given: choose SPEED_FIELD or set DEFAULT_SPEED_KMH.</source>
            <translation>Le réseau routier n'a pas de champ de vitesse connu (BD TOPO, OSM) et ni champ de vitesse ni vitesse par défaut n'ont été indiqués : choisissez SPEED_FIELD ou indiquez DEFAULT_SPEED_KMH.</translation>
        </message>
        <message>
            <source>The road network of all of France is some 20 million sections (several GB): choose a territory (a département, a région, an EPCI or communes).</source>
            <translation>Le réseau routier de toute la France compte quelque 20 millions de tronçons (plusieurs Go) : choisissez un territoire (un département, une région, un EPCI ou des communes).</translation>
        </message>
        <message>
            <source>The road network {name} is empty.</source>
            <translation>Le réseau routier {name} est vide.</translation>
        </message>
        <message>
            <source>The road network {name} is not a line layer ({kind}): give the road sections (lines), for instance BD TOPO troncon_de_route or OSM highways.</source>
            <translation>Le réseau routier {name} n'est pas une couche de lignes ({kind}) : indiquez les tronçons (lignes), par exemple troncon_de_route de la BD TOPO ou les voies OSM.</translation>
        </message>
        <message>
            <source>The router answered a malformed polygon geometry.</source>
            <translation>Le calculateur a renvoyé une géométrie de polygone mal formée.</translation>
        </message>
        <message>
            <source>The router answered a {type} where a polygon was expected.</source>
            <translation>Le calculateur a renvoyé un objet {type} au lieu d'un polygone.</translation>
        </message>
        <message>
            <source>The router answered without a polygon geometry.</source>
            <translation>Le calculateur a répondu sans géométrie de polygone.</translation>
        </message>
        <message>
            <source>The sample file is missing: {path}</source>
            <translation>Le fichier d'exemple est absent : {path}</translation>
        </message>
        <message>
            <source>The server at {url} did not return valid JSON ({detail}). Check the URL or try again later.</source>
            <translation>Le serveur {url} n'a pas renvoyé de JSON valide ({detail}). Vérifiez l'adresse ou réessayez plus tard.</translation>
        </message>
        <message>
            <source>The server {host} failed (HTTP {status}). Try again later or use the cached copy.</source>
            <translation>Le serveur {host} est en erreur (HTTP {status}). Réessayez plus tard ou utilisez la copie en cache.</translation>
        </message>
        <message>
            <source>The source carries its own provenance ({credit}): it is kept.</source>
            <translation>La source porte sa propre provenance ({credit}) : elle est conservée.</translation>
        </message>
        <message>
            <source>The source of {geo} has no geometry. Expected polygons or points; check the SOURCE file.</source>
            <translation>La source {geo} n'a pas de géométrie. Polygones ou points attendus : vérifiez le fichier SOURCE.</translation>
        </message>
        <message>
            <source>The source of {geo} holds no usable feature. Check the file or URL.</source>
            <translation>La source {geo} ne contient aucun objet exploitable. Vérifiez le fichier ou l'URL.</translation>
        </message>
        <message>
            <source>The source of {geo} holds {found}, but {geo} is made of {wanted}. Check the SOURCE file (or the layer chosen with |layername=).</source>
            <translation>La source {geo} contient des objets de type {found}, alors que {geo} est composé d'objets de type {wanted}. Vérifiez le fichier SOURCE (ou la couche choisie avec |layername=).</translation>
        </message>
        <message>
            <source>The speed field {field} is not in the road network layer.</source>
            <translation>Le champ de vitesse {field} n'existe pas dans la couche du réseau routier.</translation>
        </message>
        <message>
            <source>The table of {geo} has no latitude/longitude columns ({names} expected).</source>
            <translation>La table {geo} n'a pas de colonnes de latitude et de longitude (attendu : {names}).</translation>
        </message>
        <message>
            <source>The table {layer} has no geometry: choose the column(s) holding the addresses (ADDRESS_FIELD). Available fields: {fields}.</source>
            <translation>La table {layer} n'a pas de géométrie : choisissez la ou les colonnes qui contiennent les adresses (ADDRESS_FIELD). Champs disponibles : {fields}.</translation>
        </message>
        <message>
            <source>The territory is too large for one download: {n} road sections (about {mb} MB), over the limit of {limit}. Choose a smaller territory or a smaller MARGIN_M.</source>
            <translation>Le territoire est trop grand pour un seul téléchargement : {n} tronçons de route (environ {mb} Mo), au-delà de la limite de {limit}. Choisissez un territoire plus petit ou une MARGIN_M plus faible.</translation>
        </message>
        <message>
            <source>The territory reference {path} cannot be read ({detail}). Reinstall the plugin or regenerate it with “make reference”.</source>
            <translation>Le référentiel territorial {path} est illisible ({detail}). Réinstallez l'extension ou régénérez-le avec « make reference ».</translation>
        </message>
        <message>
            <source>The threshold must be a positive number of minutes (THRESHOLD_MIN: {value}).</source>
            <translation>Le seuil doit être un nombre de minutes strictement positif (THRESHOLD_MIN : {value}).</translation>
        </message>
        <message>
            <source>The time band {value} is not a number of minutes (e.g. 5,10,15,20).</source>
            <translation>La tranche {value} n'est pas un nombre de minutes (par exemple 5,10,15,20).</translation>
        </message>
        <message>
            <source>The zones ({zones}) hold no polygon: nothing to test the places against.</source>
            <translation>Les zones ({zones}) ne contiennent aucun polygone : rien contre quoi tester les lieux.</translation>
        </message>
        <message>
            <source>The zones layer is not valid.</source>
            <translation>La couche de zones n'est pas valide.</translation>
        </message>
        <message>
            <source>The zones layer {layer} (ZONES) holds {kind}, not polygons. Choose a polygon layer, or leave ZONES empty to use a geography of the catalogue.</source>
            <translation>La couche de zones {layer} (ZONES) est de type {kind}, et non polygone. Choisissez une couche de polygones, ou laissez ZONES vide pour utiliser une géographie du catalogue.</translation>
        </message>
        <message>
            <source>The zones layer {name} holds {kind}, not polygons. Choose a polygon layer (QPV, communes...) or a geography of the catalogue.</source>
            <translation>La couche de zones {name} est de type {kind}, et non polygone. Choisissez une couche de polygones (QPV, communes…) ou une géographie du catalogue.</translation>
        </message>
        <message>
            <source>The {preferred} typeface is not installed: the map uses {family} instead. Install {preferred} (info.gouv.fr, « la typographie ») for the State look.</source>
            <translation>La police {preferred} n'est pas installée : la carte utilise {family} à la place. Installez {preferred} (info.gouv.fr, « la typographie ») pour respecter la charte de l'État.</translation>
        </message>
        <message>
            <source>Theme and place, e.g. Quartiers prioritaires de la Haute-Garonne</source>
            <translation>Thème et lieu, par ex. Quartiers prioritaires de la Haute-Garonne</translation>
        </message>
        <message>
            <source>Threshold</source>
            <translation>Seuil</translation>
        </message>
        <message>
            <source>Threshold (minutes)</source>
            <translation>Seuil (minutes)</translation>
        </message>
        <message>
            <source>Thresholds (minutes)</source>
            <translation>Seuils (minutes)</translation>
        </message>
        <message>
            <source>Tick at least one layer to put on the map.</source>
            <translation>Cochez au moins une couche à mettre sur la carte.</translation>
        </message>
        <message>
            <source>Time bands are whole minutes: {value} is not.</source>
            <translation>Les tranches sont en minutes entières : {value} ne l'est pas.</translation>
        </message>
        <message>
            <source>Time bands must be greater than zero minutes: {bands}.</source>
            <translation>Les tranches doivent être supérieures à zéro minute : {bands}.</translation>
        </message>
        <message>
            <source>Time bands must be strictly increasing (e.g. 5,10,15,20), not {bands}.</source>
            <translation>Les tranches doivent être strictement croissantes (par exemple 5,10,15,20), pas {bands}.</translation>
        </message>
        <message>
            <source>Time to the nearest service…</source>
            <translation>Temps d'accès au service le plus proche…</translation>
        </message>
        <message>
            <source>Title</source>
            <translation>Titre</translation>
        </message>
        <message>
            <source>To (min)</source>
            <translation>À (min)</translation>
        </message>
        <message>
            <source>Total population</source>
            <translation>Population totale</translation>
        </message>
        <message>
            <source>Town centres</source>
            <translation>Centralités</translation>
        </message>
        <message>
            <source>Travel mode</source>
            <translation>Mode de déplacement</translation>
        </message>
        <message>
            <source>Travel-time bands</source>
            <translation>Tranches de temps de trajet</translation>
        </message>
        <message>
            <source>Travel-time bands (isochrones) around the points of the active layer, or towards them, on a local road network or with IGN Géoplateforme, openrouteservice or Valhalla. Opens the Processing dialog pre-filled with the selected point layer.</source>
            <translation>Tranches de temps de trajet (isochrones) autour des points de la couche active, ou pour les rejoindre, sur un réseau routier local ou avec la Géoplateforme de l'IGN, openrouteservice ou Valhalla. Ouvre la fenêtre du traitement avec la couche de points sélectionnée.</translation>
        </message>
        <message>
            <source>Travel-time bands in minutes, increasing, e.g. 5,10,15</source>
            <translation>Tranches de temps de trajet en minutes, croissantes, par exemple 5,10,15</translation>
        </message>
        <message>
            <source>Travel-time bands must be increasing without repeats (got {bands}).</source>
            <translation>Les tranches de temps doivent être croissantes et sans doublon (reçu : {bands}).</translation>
        </message>
        <message>
            <source>Travel-time trees built: {trees} for {n} candidates ({pruned} out of reach of the residents not yet covered), on {workers} processes.</source>
            <translation>Arbres de temps de parcours calculés : {trees} pour {n} candidats ({pruned} hors de portée des habitants pas encore couverts), sur {workers} processus.</translation>
        </message>
        <message>
            <source>Try with the sample</source>
            <translation>Essayer avec l'exemple</translation>
        </message>
        <message>
            <source>Type an address or click on the map.</source>
            <translation>Saisissez une adresse ou cliquez sur la carte.</translation>
        </message>
        <message>
            <source>Type an address or click on the map: is it in a QPV?</source>
            <translation>Saisissez une adresse ou cliquez sur la carte : est-ce en QPV ?</translation>
        </message>
        <message>
            <source>Typeface: {family}; page {paper} {orientation}; scale 1:{scale}; {crs}.</source>
            <translation>Police : {family} ; page {paper} {orientation} ; échelle 1:{scale} ; {crs}.</translation>
        </message>
        <message>
            <source>Unexpected error: see the Processing log.</source>
            <translation>Erreur inattendue : voir le journal de Processing.</translation>
        </message>
        <message>
            <source>Unexpected error: {error}</source>
            <translation>Erreur inattendue : {error}</translation>
        </message>
        <message>
            <source>Unknown atlas format {fmt}.</source>
            <translation>Format d'atlas inconnu : {fmt}.</translation>
        </message>
        <message>
            <source>Unknown direction “{value}”: use departure or arrival.</source>
            <translation>Sens « {value} » inconnu : utilisez departure (départ) ou arrival (arrivée).</translation>
        </message>
        <message>
            <source>Unknown error: see the Processing log.</source>
            <translation>Erreur inconnue : voir le journal de Processing.</translation>
        </message>
        <message>
            <source>Unknown geography “{gid}”. Valid identifiers: {ids}.</source>
            <translation>Géographie « {gid} » inconnue. Identifiants valides : {ids}.</translation>
        </message>
        <message>
            <source>Unknown network profile {name}: use auto, bdtopo, bdtopo2, osm or generic.</source>
            <translation>Profil de réseau inconnu {name} : utilisez auto, bdtopo, bdtopo2, osm ou generic.</translation>
        </message>
        <message>
            <source>Unknown output mode {mode}: use rings, cumulative or per_origin.</source>
            <translation>Mode de sortie inconnu {mode} : utilisez rings, cumulative ou per_origin.</translation>
        </message>
        <message>
            <source>Unknown remote router “{id}”: use ign, ors or valhalla.</source>
            <translation>Calculateur en ligne « {id} » inconnu : utilisez ign, ors ou valhalla.</translation>
        </message>
        <message>
            <source>Unknown travel mode {mode}: use car, walk or bike.</source>
            <translation>Mode de déplacement inconnu {mode} : utilisez car, walk ou bike.</translation>
        </message>
        <message>
            <source>Unknown travel mode “{mode}”: use car, walk or bike.</source>
            <translation>Mode de déplacement « {mode} » inconnu : utilisez car (voiture), walk (marche) ou bike (vélo).</translation>
        </message>
        <message>
            <source>Unknown {kind} code “{code}”{closest}.</source>
            <translation>Code {kind} « {code} » inconnu{closest}.</translation>
        </message>
        <message>
            <source>Unknown: {reason}.</source>
            <translation>Indéterminé : {reason}.</translation>
        </message>
        <message>
            <source>Unpacking {name} (once)…</source>
            <translation>Décompression de {name} (une seule fois)…</translation>
        </message>
        <message>
            <source>Urban policy</source>
            <translation>Politique de la ville</translation>
        </message>
        <message>
            <source>User guide</source>
            <translation>Guide d'utilisation</translation>
        </message>
        <message>
            <source>Valhalla</source>
            <translation>Valhalla</translation>
        </message>
        <message>
            <source>Valhalla at {url} did not answer a GeoJSON FeatureCollection.</source>
            <translation>Valhalla ({url}) n'a pas renvoyé de collection d'entités GeoJSON.</translation>
        </message>
        <message>
            <source>Valhalla could not compute the isochrone at ({x:.5f}, {y:.5f}): {error}</source>
            <translation>Valhalla n'a pas pu calculer l'isochrone au point ({x:.5f}, {y:.5f}) : {error}</translation>
        </message>
        <message>
            <source>Valhalla server</source>
            <translation>Serveur Valhalla</translation>
        </message>
        <message>
            <source>Vintage</source>
            <translation>Millésime</translation>
        </message>
        <message>
            <source>Vintage: {}</source>
            <translation>Millésime : {}</translation>
        </message>
        <message>
            <source>WFS: {n} objects read.</source>
            <translation>WFS : {n} objets lus.</translation>
        </message>
        <message>
            <source>Walking</source>
            <translation>À pied</translation>
        </message>
        <message>
            <source>Where should new services open so that the most people are within 30 minutes, and which existing ones are indispensable? Chooses among candidate sites (town halls...) on the local road network, in the background.</source>
            <translation>Où ouvrir de nouveaux services pour que le plus d'habitants soient à moins de 30 minutes, et quels services existants sont indispensables ? Choisit parmi des sites candidats (mairies…) sur le réseau routier local, en arrière-plan.</translation>
        </message>
        <message>
            <source>Where to open a new service?</source>
            <translation>Où implanter un nouveau service ?</translation>
        </message>
        <message>
            <source>Where to open new services (siting)</source>
            <translation>Où implanter de nouveaux services ?</translation>
        </message>
        <message>
            <source>Where to open new services?</source>
            <translation>Où implanter de nouveaux services ?</translation>
        </message>
        <message>
            <source>Where to open?</source>
            <translation>Où implanter ?</translation>
        </message>
        <message>
            <source>Where to open? – {t} min</source>
            <translation>Où implanter ? – {t} min</translation>
        </message>
        <message>
            <source>Written: {path}</source>
            <translation>Écrit : {path}</translation>
        </message>
        <message>
            <source>Zone</source>
            <translation>Zone</translation>
        </message>
        <message>
            <source>Zone code</source>
            <translation>Code de la zone</translation>
        </message>
        <message>
            <source>Zone code field (own layer; guessed when empty)</source>
            <translation>Champ du code de zone (couche personnelle ; deviné si vide)</translation>
        </message>
        <message>
            <source>Zone name</source>
            <translation>Nom de la zone</translation>
        </message>
        <message>
            <source>Zone name field</source>
            <translation>Champ du nom de la zone</translation>
        </message>
        <message>
            <source>Zone name field (own layer; guessed when empty)</source>
            <translation>Champ du nom de zone (couche personnelle ; deviné si vide)</translation>
        </message>
        <message>
            <source>Zones</source>
            <translation>Zones</translation>
        </message>
        <message>
            <source>Zones for the table (QPV, communes..., optional)</source>
            <translation>Zones du tableau (QPV, communes…, facultatif)</translation>
        </message>
        <message>
            <source>Zones ready: {layer}. Type an address or click on the map.</source>
            <translation>Zones prêtes : {layer}. Saisissez une adresse ou cliquez sur la carte.</translation>
        </message>
        <message>
            <source>Zones: geography of the catalogue</source>
            <translation>Zones : géographie du catalogue</translation>
        </message>
        <message>
            <source>Zones: your own polygon layer (replaces the geography)</source>
            <translation>Zones : votre propre couche de polygones (remplace la géographie)</translation>
        </message>
        <message>
            <source>[Not selected]</source>
            <translation>[Non sélectionné]</translation>
        </message>
        <message>
            <source>[Title to complete]</source>
            <translation>[Titre à compléter]</translation>
        </message>
        <message>
            <source>a layer could not be exported to SVG</source>
            <translation>une couche n'a pas pu être exportée en SVG</translation>
        </message>
        <message>
            <source>a source for the layer(s) {names} (SOURCES or layer metadata)</source>
            <translation>une source pour la ou les couches {names} (SOURCES ou métadonnées de la couche)</translation>
        </message>
        <message>
            <source>a title (TITLE)</source>
            <translation>un titre (TITLE)</translation>
        </message>
        <message>
            <source>an HTML page instead of data</source>
            <translation>une page HTML au lieu de données</translation>
        </message>
        <message>
            <source>an empty response</source>
            <translation>une réponse vide</translation>
        </message>
        <message>
            <source>and {n} more</source>
            <translation>et {n} autres</translation>
        </message>
        <message>
            <source>bicycle</source>
            <translation>vélo</translation>
        </message>
        <message>
            <source>cached copy of {date}</source>
            <translation>copie en cache du {date}</translation>
        </message>
        <message>
            <source>cancelled</source>
            <translation>annulé</translation>
        </message>
        <message>
            <source>candidate</source>
            <translation>candidat</translation>
        </message>
        <message>
            <source>candidate sites</source>
            <translation>sites candidats</translation>
        </message>
        <message>
            <source>car</source>
            <translation>voiture</translation>
        </message>
        <message>
            <source>commune</source>
            <translation>commune</translation>
        </message>
        <message>
            <source>data of {}</source>
            <translation>données du {}</translation>
        </message>
        <message>
            <source>data.gouv.fr dataset API unavailable ({error}); trying the pinned URLs.</source>
            <translation>API des jeux de données de data.gouv.fr indisponible ({error}) ; essai des URL de secours.</translation>
        </message>
        <message>
            <source>data.gouv.fr resource: {title}</source>
            <translation>Ressource data.gouv.fr : {title}</translation>
        </message>
        <message>
            <source>département</source>
            <translation>département</translation>
        </message>
        <message>
            <source>e.g. 1 place de la Mairie 93200 Saint-Denis</source>
            <translation>ex. 1 place de la Mairie 93200 Saint-Denis</translation>
        </message>
        <message>
            <source>e.g. DDT 31 – SUEL/pôle géomatique</source>
            <translation>par ex. DDT 31 – SUEL/pôle géomatique</translation>
        </message>
        <message>
            <source>e.g. Préfète de la Haute-Garonne</source>
            <translation>par ex. Préfète de la Haute-Garonne</translation>
        </message>
        <message>
            <source>facilities</source>
            <translation>équipements</translation>
        </message>
        <message>
            <source>facility</source>
            <translation>équipement</translation>
        </message>
        <message>
            <source>generic</source>
            <translation>générique</translation>
        </message>
        <message>
            <source>geocoding: Base Adresse Nationale via IGN Géoplateforme</source>
            <translation>géocodage : Base Adresse Nationale via la Géoplateforme de l'IGN</translation>
        </message>
        <message>
            <source>graph date unknown</source>
            <translation>date du graphe inconnue</translation>
        </message>
        <message>
            <source>graph of {date}</source>
            <translation>graphe du {date}</translation>
        </message>
        <message>
            <source>landscape</source>
            <translation>paysage</translation>
        </message>
        <message>
            <source>map</source>
            <translation>carte</translation>
        </message>
        <message>
            <source>more than {t} min</source>
            <translation>plus de {t} min</translation>
        </message>
        <message>
            <source>no position</source>
            <translation>aucune position</translation>
        </message>
        <message>
            <source>no reason given by the destination</source>
            <translation>aucune raison donnée par la destination</translation>
        </message>
        <message>
            <source>no response</source>
            <translation>aucune réponse</translation>
        </message>
        <message>
            <source>none</source>
            <translation>aucun</translation>
        </message>
        <message>
            <source>not enough memory (lower the DPI)</source>
            <translation>mémoire insuffisante (baissez la résolution)</translation>
        </message>
        <message>
            <source>official source</source>
            <translation>source officielle</translation>
        </message>
        <message>
            <source>openrouteservice</source>
            <translation>openrouteservice</translation>
        </message>
        <message>
            <source>openrouteservice at {url} did not answer a GeoJSON FeatureCollection.</source>
            <translation>openrouteservice ({url}) n'a pas renvoyé de collection d'entités GeoJSON.</translation>
        </message>
        <message>
            <source>openrouteservice could not compute the isochrones: {error}</source>
            <translation>openrouteservice n'a pas pu calculer les isochrones : {error}</translation>
        </message>
        <message>
            <source>openrouteservice is refusing requests: per-minute limit reached (HTTP 429) even after waiting. Wait one minute and run again with fewer origins, or use IGN Géoplateforme, Valhalla or the local road network.</source>
            <translation>openrouteservice refuse les requêtes : limite par minute atteinte (HTTP 429), même après attente. Patientez une minute et relancez avec moins d'origines, ou utilisez la Géoplateforme de l'IGN, Valhalla ou le réseau routier local.</translation>
        </message>
        <message>
            <source>openrouteservice key</source>
            <translation>Clé openrouteservice</translation>
        </message>
        <message>
            <source>openrouteservice needs an API key: create a free key on openrouteservice.org, store it in the QGIS authentication database and select it in the plugin settings (or use IGN Géoplateforme, Valhalla or the local network).</source>
            <translation>openrouteservice nécessite une clé d'API : créez une clé gratuite sur openrouteservice.org, enregistrez-la dans la base d'authentification de QGIS et sélectionnez-la dans les paramètres de l'extension (ou utilisez la Géoplateforme de l'IGN, Valhalla ou le réseau local).</translation>
        </message>
        <message>
            <source>openrouteservice refused the API key (HTTP {status}). Check the key stored in the QGIS authentication configuration selected in the plugin settings.</source>
            <translation>openrouteservice a refusé la clé d'API (HTTP {status}). Vérifiez la clé enregistrée dans la configuration d'authentification QGIS choisie dans les paramètres de l'extension.</translation>
        </message>
        <message>
            <source>or stop once this share is reached:</source>
            <translation>ou s'arrêter dès que cette part est atteinte :</translation>
        </message>
        <message>
            <source>origin</source>
            <translation>origine</translation>
        </message>
        <message>
            <source>origins</source>
            <translation>origines</translation>
        </message>
        <message>
            <source>population units</source>
            <translation>unités de population</translation>
        </message>
        <message>
            <source>portrait</source>
            <translation>portrait</translation>
        </message>
        <message>
            <source>printing failed</source>
            <translation>l'impression a échoué</translation>
        </message>
        <message>
            <source>reference not available</source>
            <translation>référentiel indisponible</translation>
        </message>
        <message>
            <source>region</source>
            <translation>région</translation>
        </message>
        <message>
            <source>row missing from the geocoder answer</source>
            <translation>ligne absente de la réponse du géocodeur</translation>
        </message>
        <message>
            <source>sources with their vintage (a 4-digit year)</source>
            <translation>des sources avec leur millésime (une année à 4 chiffres)</translation>
        </message>
        <message>
            <source>temporary layer</source>
            <translation>couche temporaire</translation>
        </message>
        <message>
            <source>the address was not found</source>
            <translation>l'adresse n'a pas été trouvée</translation>
        </message>
        <message>
            <source>the atlas could not be iterated</source>
            <translation>l'atlas n'a pas pu être parcouru</translation>
        </message>
        <message>
            <source>the author service for « Réalisation » (AUTHOR or the settings)</source>
            <translation>le service auteur pour « Réalisation » (AUTHOR ou les réglages)</translation>
        </message>
        <message>
            <source>the file could not be written</source>
            <translation>le fichier n'a pas pu être écrit</translation>
        </message>
        <message>
            <source>the geocoding score is too low to conclude; check the address</source>
            <translation>le score de géocodage est trop faible pour conclure ; vérifiez l'adresse</translation>
        </message>
        <message>
            <source>the official bloc-marque (LOGO or the settings)</source>
            <translation>le bloc-marque officiel (LOGO ou les réglages)</translation>
        </message>
        <message>
            <source>the population grid &lt;b&gt;{title}&lt;/b&gt;</source>
            <translation>la population carroyée &lt;b&gt;{title}&lt;/b&gt;</translation>
        </message>
        <message>
            <source>the road network &lt;b&gt;{title}&lt;/b&gt; around the territory (+{km} km)</source>
            <translation>le réseau routier &lt;b&gt;{title}&lt;/b&gt; autour du territoire (+{km} km)</translation>
        </message>
        <message>
            <source>the source</source>
            <translation>la source</translation>
        </message>
        <message>
            <source>unit</source>
            <translation>unité</translation>
        </message>
        <message>
            <source>unknown version</source>
            <translation>version inconnue</translation>
        </message>
        <message>
            <source>walking</source>
            <translation>marche</translation>
        </message>
        <message>
            <source>{error} Using the {note}.</source>
            <translation>{error} Utilisation de la {note}.</translation>
        </message>
        <message>
            <source>{first} and {n} other territories</source>
            <translation>{first} et {n} autres territoires</translation>
        </message>
        <message>
            <source>{geo} for all of France would be several million cells (a national file of about 300 MB read whole): choose a territory (a département, a région, an EPCI or communes).</source>
            <translation>{geo} pour toute la France représenterait plusieurs millions de carreaux (un fichier national d'environ 300 Mo lu en entier) : choisissez un territoire (un département, une région, un EPCI ou des communes).</translation>
        </message>
        <message>
            <source>{geo} – {territory}</source>
            <translation>{geo} – {territory}</translation>
        </message>
        <message>
            <source>{geo}: no layer was produced.</source>
            <translation>{geo} : aucune couche n'a été produite.</translation>
        </message>
        <message>
            <source>{host} refused the request: quota or rate limit reached (HTTP {status}{detail}). Wait and run again, or reduce the number of requests.</source>
            <translation>{host} a refusé la requête : quota ou limite de débit atteint (HTTP {status}{detail}). Patientez puis relancez, ou réduisez le nombre de requêtes.</translation>
        </message>
        <message>
            <source>{input} – in {zones}</source>
            <translation>{input} – dans {zones}</translation>
        </message>
        <message>
            <source>{inside} places in a zone, {outside} outside, {unknown} unknown.</source>
            <translation>{inside} lieux dans une zone, {outside} hors zone, {unknown} indéterminés.</translation>
        </message>
        <message>
            <source>{k} site(s) proposed: {share} % of the population within {t} min.</source>
            <translation>{k} site(s) proposé(s) : {share} % de la population à moins de {t} min.</translation>
        </message>
        <message>
            <source>{label} [optional]</source>
            <translation>{label} [optionnel]</translation>
        </message>
        <message>
            <source>{lo} to {hi} min</source>
            <translation>{lo} à {hi} min</translation>
        </message>
        <message>
            <source>{member} is not in the archive {path}.</source>
            <translation>{member} ne figure pas dans l'archive {path}.</translation>
        </message>
        <message>
            <source>{name} (no feature)</source>
            <translation>{name} (aucun objet)</translation>
        </message>
        <message>
            <source>{n} bytes of type {ctype}</source>
            <translation>{n} octets de type {ctype}</translation>
        </message>
        <message>
            <source>{n} cells of the national file around {territory}.</source>
            <translation>{n} carreaux du fichier national autour de {territory}.</translation>
        </message>
        <message>
            <source>{n} commune codes of the list match no commune outline; rows kept without geometry (field “jointure”): {codes}.</source>
            <translation>{n} codes commune de la liste ne correspondent à aucun contour communal ; lignes conservées sans géométrie (champ « jointure ») : {codes}.</translation>
        </message>
        <message>
            <source>{n} connected pieces; the largest holds {share:.1f} % of the nodes.</source>
            <translation>{n} composantes connexes ; la plus grande regroupe {share:.1f} % des nœuds.</translation>
        </message>
        <message>
            <source>{n} features loaded into “{group}”.</source>
            <translation>{n} entités chargées dans « {group} ».</translation>
        </message>
        <message>
            <source>{n} features of {geo} for {territory} (CRS {crs}).</source>
            <translation>{n} objets {geo} pour {territory} (SCR {crs}).</translation>
        </message>
        <message>
            <source>{n} features of {name} have no geometry ({pop:.0f} inhabitants): they cannot be placed and are left out of every total.</source>
            <translation>{n} entités de {name} n'ont pas de géométrie ({pop:.0f} habitants) : elles ne peuvent pas être localisées et ne sont comptées dans aucun total.</translation>
        </message>
        <message>
            <source>{n} former commune codes attached to their current commune: {codes}.</source>
            <translation>{n} anciens codes commune rattachés à leur commune actuelle : {codes}.</translation>
        </message>
        <message>
            <source>{n} groupements (SIREN) match no EPCI or commune of the reference {vintage}: {codes}. Their programmes are kept, flagged in the field “jointure”.</source>
            <translation>{n} groupements (SIREN) ne correspondent à aucun EPCI ni aucune commune du référentiel {vintage} : {codes}. Leurs programmes sont conservés et signalés dans le champ « jointure ».</translation>
        </message>
        <message>
            <source>{n} invalid source geometries were repaired (makeValid).</source>
            <translation>{n} géométries invalides de la source ont été réparées (makeValid).</translation>
        </message>
        <message>
            <source>{n} invalid zone geometries were repaired before the test.</source>
            <translation>{n} géométries de zones invalides ont été réparées avant le test.</translation>
        </message>
        <message>
            <source>{n} isochrone(s) reused from the local cache.</source>
            <translation>{n} isochrone(s) reprise(s) du cache local.</translation>
        </message>
        <message>
            <source>{n} isochrone(s) taken from the local cache.</source>
            <translation>{n} isochrone(s) issue(s) du cache local.</translation>
        </message>
        <message>
            <source>{n} member communes have no outline in the commune layer: {codes}.</source>
            <translation>{n} communes membres n'ont pas de contour dans la couche des communes : {codes}.</translation>
        </message>
        <message>
            <source>{n} proposed sites, threshold {t:g} min</source>
            <translation>{n} implantations proposées, seuil de {t:g} min</translation>
        </message>
        <message>
            <source>{n} road sections are not usable for this mode and were left out.</source>
            <translation>{n} tronçons ne sont pas utilisables pour ce mode et ont été écartés.</translation>
        </message>
        <message>
            <source>{n} road sections have no speed, a zero or a negative speed: they are left out of the network.</source>
            <translation>{n} tronçons n'ont pas de vitesse, ou une vitesse nulle ou négative : ils sont écartés du réseau.</translation>
        </message>
        <message>
            <source>{n} road sections is over the limit of {limit} for one download: choose a smaller territory.</source>
            <translation>{n} tronçons de route dépassent la limite de {limit} pour un seul téléchargement : choisissez un territoire plus petit.</translation>
        </message>
        <message>
            <source>{n} rows had latitude and longitude swapped; corrected: {ids}.</source>
            <translation>{n} lignes avaient la latitude et la longitude inversées ; corrigées : {ids}.</translation>
        </message>
        <message>
            <source>{n} rows have coordinates outside France; kept and flagged: {ids}.</source>
            <translation>{n} lignes ont des coordonnées hors de France ; conservées et signalées : {ids}.</translation>
        </message>
        <message>
            <source>{n} rows have no usable coordinates; kept without geometry: {ids}.</source>
            <translation>{n} lignes n'ont pas de coordonnées exploitables ; conservées sans géométrie : {ids}.</translation>
        </message>
        <message>
            <source>{n} rows of the list are not classed ({values} or empty) and left out.</source>
            <translation>{n} lignes de la liste ne sont pas classées ({values} ou vide) et sont écartées.</translation>
        </message>
        <message>
            <source>{n} {what} are attached to a small isolated piece of the road network (fewer than {share} % of the nodes), so their times may be cut short: {names}{more}. Check the network around them.</source>
            <translation>{n} {what} sont rattachés à un petit morceau isolé du réseau routier (moins de {share} % des nœuds), leurs temps peuvent donc être tronqués : {names}{more}. Vérifiez le réseau autour d'eux.</translation>
        </message>
        <message>
            <source>{n} {what} are farther than {tol:.0f} m from the road network and were not computed (see the non raccordés output): {list}{more}. Raise SNAP_TOLERANCE_M or check their position.</source>
            <translation>{n} {what} sont à plus de {tol:.0f} m du réseau routier et n'ont pas été calculés (voir la sortie non raccordés) : {list}{more}. Augmentez SNAP_TOLERANCE_M ou vérifiez leur position.</translation>
        </message>
        <message>
            <source>{path} cannot be read as a spreadsheet.</source>
            <translation>{path} ne peut pas être lu comme un tableur.</translation>
        </message>
        <message>
            <source>{path} cannot be read as vector data (corrupt, truncated or unknown format).</source>
            <translation>{path} ne peut pas être lu comme une donnée vectorielle (fichier corrompu, tronqué ou de format inconnu).</translation>
        </message>
        <message>
            <source>{path} cannot be read as vector data.</source>
            <translation>{path} ne peut pas être lu comme donnée vectorielle.</translation>
        </message>
        <message>
            <source>{path} has no rows.</source>
            <translation>{path} ne contient aucune ligne.</translation>
        </message>
        <message>
            <source>{path} is a folder, not a file.</source>
            <translation>{path} est un dossier, pas un fichier.</translation>
        </message>
        <message>
            <source>{path} is an HTML page, not data. Check the source URL.</source>
            <translation>{path} est une page HTML, pas une donnée. Vérifiez l'URL de la source.</translation>
        </message>
        <message>
            <source>{path} is empty or not a text file.</source>
            <translation>{path} est vide ou n'est pas un fichier texte.</translation>
        </message>
        <message>
            <source>{path} is empty.</source>
            <translation>{path} est vide.</translation>
        </message>
        <message>
            <source>{path}: the 7z archive cannot be read ({detail}).</source>
            <translation>{path} : l'archive 7z est illisible ({detail}).</translation>
        </message>
        <message>
            <source>{service} at {url} returned an HTML page instead of data (a proxy login page, a maintenance page or a wrong URL). Check the service URL in the settings and the proxy settings of QGIS.</source>
            <translation>{service} ({url}) a renvoyé une page HTML au lieu de données (page de connexion d'un proxy, page de maintenance ou adresse erronée). Vérifiez l'adresse du service dans les paramètres et les réglages de proxy de QGIS.</translation>
        </message>
        <message>
            <source>{service} at {url} returned an empty response. Try again later.</source>
            <translation>{service} ({url}) a renvoyé une réponse vide. Réessayez plus tard.</translation>
        </message>
        <message>
            <source>{service} returned an empty area for origin {id} ({x:.5f}, {y:.5f}) at {m} min: the point is probably too far from any road open to this mode. Move the point or use another router.</source>
            <translation>{service} a renvoyé une zone vide pour l'origine {id} ({x:.5f}, {y:.5f}) à {m} min : le point est sans doute trop loin de toute voie ouverte à ce mode. Déplacez le point ou utilisez un autre calculateur.</translation>
        </message>
        <message>
            <source>{service} returned no isochrone for origin {id} at {m} min. Check that the point is near a road, or try another router.</source>
            <translation>{service} n'a renvoyé aucune isochrone pour l'origine {id} à {m} min. Vérifiez que le point est proche d'une voie, ou essayez un autre calculateur.</translation>
        </message>
        <message>
            <source>{task}: cancelled, nothing was added.</source>
            <translation>{task} : annulé, rien n'a été ajouté.</translation>
        </message>
        <message>
            <source>{task}: done.</source>
            <translation>{task} : terminé.</translation>
        </message>
        <message>
            <source>{title} – {producer}, {vintage}</source>
            <translation>{title} – {producer}, {vintage}</translation>
        </message>
        <message>
            <source>{url} refused access (HTTP {status}). Check the API key or the authentication configuration selected in QGIS.</source>
            <translation>{url} a refusé l'accès (HTTP {status}). Vérifiez la clé d'API ou la configuration d'authentification choisie dans QGIS.</translation>
        </message>
        <message>
            <source>{url} returned a truncated or invalid JSON file.</source>
            <translation>{url} a renvoyé un fichier JSON tronqué ou invalide.</translation>
        </message>
        <message>
            <source>{url} returned an HTML page instead of data (an error or login page, or a moved file). Check the URL or point this source to a mirror or local file.</source>
            <translation>{url} a renvoyé une page HTML au lieu des données (page d'erreur ou de connexion, ou fichier déplacé). Vérifiez l'URL ou faites pointer cette source vers un miroir ou un fichier local.</translation>
        </message>
        <message>
            <source>{url} returned an empty file.</source>
            <translation>{url} a renvoyé un fichier vide.</translation>
        </message>
        <message>
            <source>{url} returned invalid JSON.</source>
            <translation>{url} a renvoyé un JSON invalide.</translation>
        </message>
        <message>
            <source>{url} was not found (HTTP 404). The source may have moved: check the URL, or point this source to a mirror or a local file in the plugin settings.</source>
            <translation>{url} est introuvable (HTTP 404). La source a peut-être changé d'adresse : vérifiez l'URL, ou faites pointer cette source vers un miroir ou un fichier local dans les réglages de l'extension.</translation>
        </message>
        <message>
            <source>{url}: server busy or unreachable, new attempt in {s:.0f} s ({n}/{total}).</source>
            <translation>{url} : serveur occupé ou injoignable, nouvel essai dans {s:.0f} s ({n}/{total}).</translation>
        </message>
        <message>
            <source>{url}: the ZIP archive expands beyond the size limit.</source>
            <translation>{url} : l'archive ZIP décompressée dépasse la taille maximale.</translation>
        </message>
        <message>
            <source>{url}: the ZIP archive has too many files ({n}).</source>
            <translation>{url} : l'archive ZIP contient trop de fichiers ({n}).</translation>
        </message>
        <message>
            <source>{url}: the ZIP archive is corrupt (member {member}).</source>
            <translation>{url} : l'archive ZIP est corrompue (fichier {member}).</translation>
        </message>
        <message>
            <source>{url}: the ZIP archive is corrupt or truncated.</source>
            <translation>{url} : l'archive ZIP est corrompue ou tronquée.</translation>
        </message>
        <message>
            <source>{url}: the ZIP archive would expand to {size} MB, over the limit.</source>
            <translation>{url} : l'archive ZIP occuperait {size} Mo une fois décompressée, au-delà de la limite.</translation>
        </message>
        <message>
            <source>{url}: the ZIP member name {member} is unsafe (path traversal).</source>
            <translation>{url} : le nom de fichier {member} de l'archive ZIP est dangereux (sortie du dossier).</translation>
        </message>
        <message>
            <source>{url}: the ZIP member {member} is a link; refused.</source>
            <translation>{url} : le fichier {member} de l'archive ZIP est un lien ; refusé.</translation>
        </message>
        <message>
            <source>{url}: the ZIP member {member} is suspiciously compressed (zip bomb?).</source>
            <translation>{url} : le fichier {member} de l'archive ZIP est anormalement compressé (bombe ZIP ?).</translation>
        </message>
        <message>
            <source>{url}: the download is truncated ({got} of {expected} bytes).</source>
            <translation>{url} : le téléchargement est tronqué ({got} octets sur {expected}).</translation>
        </message>
        <message>
            <source>{url}: the download is truncated ({got} of {expected} bytes). Try again later.</source>
            <translation>{url} : le téléchargement est tronqué ({got} octets sur {expected}). Réessayez plus tard.</translation>
        </message>
        <message>
            <source>{url}: the download stopped (empty answer).</source>
            <translation>{url} : le téléchargement s'est interrompu (réponse vide).</translation>
        </message>
        <message>
            <source>{url}: the file's checksum does not match the catalogue's.</source>
            <translation>{url} : la somme de contrôle du fichier ne correspond pas à celle du catalogue.</translation>
        </message>
        <message>
            <source>{url}: the server answered another part of the file.</source>
            <translation>{url} : le serveur a renvoyé une autre partie du fichier.</translation>
        </message>
        <message>
            <source>{url}: unexpected “not modified” answer.</source>
            <translation>{url} : réponse « non modifié » inattendue.</translation>
        </message>
        <message>
            <source>{zones} has no zone in this territory: every place is reported outside (in_zone false, no distance).</source>
            <translation>{zones} n'a aucune zone sur ce territoire : tous les lieux sont déclarés hors zone (in_zone faux, pas de distance).</translation>
        </message>
        <message>
            <source>« {raw} » appears twice → « {stem} »</source>
            <translation>« {raw} » apparaît deux fois → « {stem} »</translation>
        </message>
        <message>
            <source>« {raw} » → « {stem} »</source>
            <translation>« {raw} » → « {stem} »</translation>
        </message>
        <message>
            <source>“{text}” is ambiguous: {choices}. Use a code.</source>
            <translation>« {text} » est ambigu : {choices}. Utilisez un code.</translation>
        </message>
        <message>
            <source>“{token}” is not a territory code{closest}.</source>
            <translation>« {token} » n'est pas un code de territoire{closest}.</translation>
        </message>
    </context>
</TS>
