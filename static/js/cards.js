// Result cards that fill in as their job finishes, by polling GET /api/predictions/<id>.
// The markup comes from <template> elements in the page (templates/recognizer/_card_template.html),
// so every word on a card is translated by the server.
(function () {
  "use strict";
  var strings = document.getElementById("card-strings");

  function text(name) { return strings ? strings.getAttribute("data-" + name) || "" : ""; }
  function clone(id) { return document.getElementById(id).content.cloneNode(true); }
  function pct(p) { return (100 * p).toFixed(1) + "%"; }
  function duration(ms) {
    if (ms === null || ms === undefined) return "–";
    return ms >= 1000 ? (ms / 1000).toFixed(2) + " s" : ms.toFixed(1) + " ms";
  }

  function top3(probabilities) {
    return probabilities.map(function (p, d) { return [d, p]; })
      .sort(function (a, b) { return b[1] - a[1]; }).slice(0, 3);
  }

  function showPending(outcome, status) {
    var part = clone("card-pending");
    part.querySelector(".status").textContent = text(status === "started" ? "started" : "queued");
    outcome.replaceChildren(part);
  }

  function showFinished(card, outcome, data) {
    var part = clone("card-finished");
    part.querySelector(".digit .value").textContent = data.number !== null ? data.number : data.digit;
    part.querySelector(".confidence .value").textContent = pct(data.confidence);
    var warn = part.querySelector(".confidence .warn");
    warn.hidden = !data.low_confidence;
    warn.textContent = data.hint_text || "";
    // A picture sent from this page can be cropped and sent again when the answer is unsure.
    part.querySelector(".crop-again").hidden = !(data.low_confidence && card.digitFile);
    var list = part.querySelector(".top3");
    if (data.probabilities) {
      top3(data.probabilities).forEach(function (pair) {
        var li = document.createElement("li");
        var k = document.createElement("span");
        k.className = "k";
        k.textContent = pair[0];
        var meter = document.createElement("meter");
        meter.min = 0; meter.max = 1; meter.value = pair[1];
        meter.setAttribute("aria-label", text("probability").replace("%s", pair[0]));
        meter.textContent = pct(pair[1]);
        var v = document.createElement("span");
        v.className = "v";
        v.textContent = pct(pair[1]);
        li.append(k, meter, v);
        list.appendChild(li);
      });
    } else {
      list.remove();
    }
    // Its shape is known before it loads (28x28 pixels a digit; the stylesheet sets how large it
    // is shown): a card that grew as the picture came in would move the link below it from
    // under a finger or a pointer about to click it.
    var input = part.querySelector(".model-input img");
    input.width = 28 * Math.max(1, (data.digits || []).length);
    input.height = 28;
    input.src = data.input_url;
    var timing = part.querySelector(".timing");
    timing.textContent = timing.getAttribute("data-template").replace("%s", duration(data.duration_ms));
    part.querySelector(".result-link").href = data.page;
    outcome.replaceChildren(part);
  }

  function showFailed(outcome, message, leadIn) {
    var part = clone("card-failed");
    part.querySelector(".lead-in").textContent = leadIn;
    part.querySelector(".value").textContent = message;
    outcome.replaceChildren(part);
  }

  function fill(card, data) {
    // Once read, the card shows the worker's PNG thumbnail: small, and drawn from any format.
    var thumb = card.querySelector(".thumb");
    if (data.thumb_url) card.dataset.thumb = data.thumb_url;
    if (thumb && data.thumb_url && thumb.getAttribute("src") !== data.thumb_url) thumb.src = data.thumb_url;
    card.dataset.status = data.status;
    card.className = "card status-" + data.status;
    var outcome = card.querySelector(".outcome");
    if (data.status === "finished") showFinished(card, outcome, data);
    else if (data.status === "failed") {
      showFailed(outcome, data.error || "", text(data.nothing_found ? "nothing" : "unreadable"));
    }
    else showPending(outcome, data.status);
  }

  function watch(card) {
    var delay = 150;
    function poll() {
      fetch(card.dataset.url, {headers: {"Accept": "application/json"}})
        .then(function (r) {
          if (r.status === 404) return {status: "failed", error: text("gone")};
          return r.ok ? r.json() : null;
        })
        .catch(function () { return null; })
        .then(function (data) {
          if (data) fill(card, data);
          if (!data || data.status === "queued" || data.status === "started") {
            delay = Math.min(delay * 1.5, 2000);
            window.setTimeout(poll, delay);
          } else {
            card.dispatchEvent(new CustomEvent("card:done", {bubbles: true, detail: data}));
          }
        });
    }
    window.setTimeout(poll, delay);
  }

  // A card for a prediction the API just accepted.
  function create(prediction) {
    var card = clone("card-template").querySelector(".card");
    card.dataset.prediction = prediction.id;
    card.dataset.url = prediction.url;
    card.querySelector(".thumb-link").href = prediction.page;
    card.querySelector(".thumb").src = prediction.image_url;
    card.querySelector(".thumb").alt = text("thumb-alt").replace("%s", prediction.filename);
    card.querySelector(".filename").textContent = prediction.filename;
    fill(card, prediction);
    return card;
  }

  // A card for a file that was not queued (refused here or by the server), with its own reason.
  function refused(filename, message, thumbUrl) {
    var card = clone("card-template").querySelector(".card");
    card.className = "card status-refused";
    card.dataset.status = "refused";
    var link = card.querySelector(".thumb-link");
    if (thumbUrl) {
      var img = card.querySelector(".thumb");
      img.src = thumbUrl;
      img.alt = text("thumb-alt").replace("%s", filename);
      link.replaceWith(img);
    } else {
      link.remove();
    }
    card.querySelector(".filename").textContent = filename;
    showFailed(card.querySelector(".outcome"), message, text("refused"));
    return card;
  }

  // A picture this browser cannot show (a HEIC outside Safari before its thumbnail exists, a
  // damaged file that has none) leaves the card's grey square rather than a broken-image icon.
  var BLANK = "data:image/gif;base64,R0lGODlhAQABAAAAACH5BAEKAAEALAAAAAABAAEAAAICTAEAOw==";
  function blank(img) { if (img.getAttribute("src") !== BLANK) img.src = BLANK; }
  document.addEventListener("error", function (event) {
    if (event.target.classList && event.target.classList.contains("thumb")) blank(event.target);
  }, true);
  Array.prototype.forEach.call(document.querySelectorAll(".card .thumb"), function (img) {
    if (img.complete && img.naturalWidth === 0 && img.getAttribute("src")) blank(img);
  });

  window.DigitCards = {create: create, fill: fill, watch: watch, refused: refused};
})();
