/* 政务公开地图: the map over the list (the list works without this script).
 * Leaflet is served from /static/vendor/leaflet/; tiles come only from the configured server.
 * Coordinates are stored in WGS-84; for a GCJ-02 tile server (data-crs="gcj02") they are shifted. */
(function () {
  "use strict";

  var near = document.getElementById("place-near");
  if (near && navigator.geolocation) {
    near.hidden = false;
    near.addEventListener("click", function () {
      navigator.geolocation.getCurrentPosition(function (pos) {
        var form = near.form;
        form.elements.near.value = pos.coords.latitude.toFixed(5) + "," + pos.coords.longitude.toFixed(5);
        form.submit();
      }, function () {
        near.textContent = "无法获取位置";
      });
    });
  }

  var box = document.getElementById("place-map");
  if (!box || typeof L === "undefined") { return; }
  var data = JSON.parse(document.getElementById("place-markers").textContent);

  function outOfChina(lat, lng) { return !(lng >= 72.004 && lng <= 137.8347 && lat >= 0.8293 && lat <= 55.8271); }
  function tLat(x, y) {
    var r = -100 + 2 * x + 3 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * Math.sqrt(Math.abs(x));
    r += (20 * Math.sin(6 * x * Math.PI) + 20 * Math.sin(2 * x * Math.PI)) * 2 / 3;
    r += (20 * Math.sin(y * Math.PI) + 40 * Math.sin(y / 3 * Math.PI)) * 2 / 3;
    return r + (160 * Math.sin(y / 12 * Math.PI) + 320 * Math.sin(y * Math.PI / 30)) * 2 / 3;
  }
  function tLng(x, y) {
    var r = 300 + x + 2 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * Math.sqrt(Math.abs(x));
    r += (20 * Math.sin(6 * x * Math.PI) + 20 * Math.sin(2 * x * Math.PI)) * 2 / 3;
    r += (20 * Math.sin(x * Math.PI) + 40 * Math.sin(x / 3 * Math.PI)) * 2 / 3;
    return r + (150 * Math.sin(x / 12 * Math.PI) + 300 * Math.sin(x / 30 * Math.PI)) * 2 / 3;
  }
  function toGcj(lat, lng) {  // the same formulas as gongkai/participation/geo.py
    if (outOfChina(lat, lng)) { return [lat, lng]; }
    var a = 6378245.0, ee = 0.00669342162296594323;
    var dLat = tLat(lng - 105, lat - 35), dLng = tLng(lng - 105, lat - 35);
    var rad = lat / 180 * Math.PI, magic = 1 - ee * Math.sin(rad) * Math.sin(rad), sq = Math.sqrt(magic);
    dLat = dLat * 180 / ((a * (1 - ee)) / (magic * sq) * Math.PI);
    dLng = dLng * 180 / (a / sq * Math.cos(rad) * Math.PI);
    return [lat + dLat, lng + dLng];
  }
  var shift = box.dataset.crs === "gcj02" ? toGcj : function (lat, lng) { return [lat, lng]; };

  var map = L.map(box, { scrollWheelZoom: false });
  L.tileLayer(box.dataset.tiles, { attribution: box.dataset.attribution || "", maxZoom: 18 }).addTo(map);
  var points = [];
  data.forEach(function (p) {
    var at = shift(p.lat, p.lng);
    points.push(at);
    var link = document.createElement("a");
    link.href = p.url;
    link.textContent = p.name;
    var popup = document.createElement("div");
    popup.appendChild(link);
    popup.appendChild(document.createElement("br"));
    popup.appendChild(document.createTextNode(p.kind + " · " + p.address));
    L.marker(at, { title: p.name, alt: p.name }).addTo(map).bindPopup(popup);
  });
  if (points.length) {
    map.fitBounds(points, { padding: [30, 30], maxZoom: 15 });
  } else {
    var c = (box.dataset.center || "38.87,115.46").split(",");
    map.setView([parseFloat(c[0]), parseFloat(c[1])], 11);
  }
}());
