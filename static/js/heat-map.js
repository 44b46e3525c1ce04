// Result pages: a heat map that a worker is still drawing. explain.png answers 202 (with
// Retry-After) until the drawing is stored, then the PNG; the page asks again until then and
// puts the image in the placeholder's place. Without JavaScript the placeholder says to reload.
(function () {
  "use strict";
  var pending = document.getElementById("heat-map-pending");
  if (!pending) return;
  var url = pending.getAttribute("data-src");
  // A drawing that keeps failing is asked for again by the server every half minute; a page
  // left open stops asking after this long and says so.
  var giveUpAt = Date.now() + 5 * 60 * 1000;
  var delay = 200;

  function show() {
    // Imported into this document: an image still owned by the template's inert one never loads.
    var img = document.importNode(document.getElementById("heat-map-template").content.querySelector("img"), true);
    img.addEventListener("load", function () { pending.replaceWith(img); });
    img.addEventListener("error", fail);
    img.src = url;
  }

  function fail() {
    pending.textContent = pending.getAttribute("data-failed");
  }

  function later(response) {
    if (Date.now() > giveUpAt) return fail();
    var asked = response ? parseFloat(response.headers.get("Retry-After")) : NaN;
    var most = (asked > 0 ? asked : 2) * 1000;
    delay = Math.min(delay * 1.5, most);
    window.setTimeout(poll, delay);
  }

  function poll() {
    // The 200 is kept in the browser's cache (the 202s are not), so the <img> loads it from there.
    fetch(url, {headers: {"Accept": "image/png, application/json"}})
      .then(function (response) {
        if (response.status === 200) show();
        else if (response.status === 202) later(response);
        else fail();  // 404: nothing to draw it from any more (the record was deleted)
      })
      .catch(function () { later(null); });  // the network dropped: try again
  }

  window.setTimeout(poll, delay);
})();
