<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1">
<context>
    <name>@default</name>
    <message>
        <location filename="../cget_plugin/core/net.py" line="54"/>
        <source>The server at {url} did not return valid JSON ({detail}). Check the URL or try again later.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../cget_plugin/core/net.py" line="70"/>
        <source>an HTML page instead of data</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../cget_plugin/core/net.py" line="72"/>
        <source>an empty response</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../cget_plugin/core/net.py" line="73"/>
        <source>{n} bytes of type {ctype}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../cget_plugin/processing/base.py" line="126"/>
        <source>Cancelled by the user.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../cget_plugin/core/net.py" line="187"/>
        <source>Could not reach {url}: {error}. Check the network connection and the proxy settings of QGIS (Settings &gt; Options &gt; Network), or use the cached copy.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../cget_plugin/core/net.py" line="187"/>
        <source>no response</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../cget_plugin/core/net.py" line="201"/>
        <source>{url}: server busy or unreachable, new attempt in {s:.0f} s ({n}/{total}).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../cget_plugin/core/net.py" line="249"/>
        <source>{host} refused the request: quota or rate limit reached (HTTP {status}{detail}). Wait and run again, or reduce the number of requests.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../cget_plugin/core/net.py" line="258"/>
        <source>{url} was not found (HTTP 404). The source may have moved: check the URL, or point this source to a mirror or a local file in the plugin settings.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../cget_plugin/core/net.py" line="261"/>
        <source>{url} refused access (HTTP {status}). Check the API key or the authentication configuration selected in QGIS.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../cget_plugin/core/net.py" line="264"/>
        <source>The server {host} failed (HTTP {status}). Try again later or use the cached copy.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../cget_plugin/core/net.py" line="266"/>
        <source>The request to {url} failed (HTTP {status}).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../cget_plugin/core/net.py" line="269"/>
        <source>Server message: {}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../cget_plugin/core/provenance.py" line="72"/>
        <source>data of {}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../cget_plugin/core/provenance.py" line="140"/>
        <source>Producer: {}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../cget_plugin/core/provenance.py" line="141"/>
        <source>Dataset: {}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../cget_plugin/core/provenance.py" line="144"/>
        <source>Vintage: {}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../cget_plugin/core/provenance.py" line="146"/>
        <source>Source date: {}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../cget_plugin/core/provenance.py" line="148"/>
        <source>Source: {}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../cget_plugin/core/provenance.py" line="150"/>
        <source>Licence: {}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../cget_plugin/core/provenance.py" line="152"/>
        <source>Retrieved or computed on: {}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../cget_plugin/core/provenance.py" line="154"/>
        <source>Engine: {}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../cget_plugin/core/provenance.py" line="156"/>
        <source>Parameters: {}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../cget_plugin/processing/provider.py" line="25"/>
        <source>CGET – Territorial equality</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../cget_plugin/processing/base.py" line="27"/>
        <source>Priority geography</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../cget_plugin/processing/base.py" line="28"/>
        <source>Accessibility</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../cget_plugin/processing/base.py" line="29"/>
        <source>Prefecture maps</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../cget_plugin/plugin.py" line="61"/>
        <source>User guide</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../cget_plugin/processing/base.py" line="75"/>
        <source>Style of the CGET plugin</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../cget_plugin/processing/provider.py" line="28"/>
        <source>CGET – Territorial equality ({version})</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>
