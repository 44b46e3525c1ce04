// The upload page with JavaScript: several files by picker, camera or drag-and-drop, each with
// an optional crop box; a draw pad that guesses live after every stroke; and result cards that
// fill in as their jobs finish. Without JavaScript the form posts as usual.
(function () {
  "use strict";
  var form = document.getElementById("upload-form");
  if (!form || !window.fetch || !window.DigitCards) return;

  var api = form.getAttribute("data-api");
  var maxBytes = parseInt(form.getAttribute("data-max-bytes"), 10);
  var maxFiles = parseInt(form.getAttribute("data-max-files"), 10) || 20;
  var csrf = form.querySelector("input[name=csrfmiddlewaretoken]").value;
  var strings = document.getElementById("upload-strings");
  var dropZone = document.getElementById("drop-zone");
  var previews = document.getElementById("previews");
  var uploadError = document.getElementById("upload-error");
  var clearButton = document.getElementById("upload-clear");
  var results = document.getElementById("live-results");
  var cards = document.getElementById("cards");
  var pickers = form.querySelectorAll("input[type=file]");
  var chosen = [];

  function text(name) { return strings.getAttribute("data-" + name) || ""; }
  function say(el, message) { el.textContent = message || ""; el.hidden = !message; }
  function size(bytes) {
    return bytes >= 1048576 ? (bytes / 1048576).toFixed(1) + " MB" : Math.max(1, Math.round(bytes / 1024)) + " KB";
  }

  // --- Choosing pictures ---
  // The first bytes say what a file is, whatever its name or the type the browser guessed:
  // a text file named .png is caught here, before anything is sent.
  var SIGNATURES = [
    [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a],  // PNG
    [0xff, 0xd8, 0xff],                                  // JPEG
    [0x47, 0x49, 0x46, 0x38],                            // GIF8
    [0x42, 0x4d],                                        // BMP
    [0x49, 0x49, 0x2a, 0x00],                            // TIFF, little-endian
    [0x4d, 0x4d, 0x00, 0x2a]                             // TIFF, big-endian
  ];

  // HEIC (iPhones' photos) and AVIF are ISO media files: an "ftyp" box first, naming its brand.
  var BRANDS = ["heic", "heix", "heim", "heis", "hevc", "hevx", "hevm", "hevs", "mif1", "msf1", "avif", "avis"];

  function isPicture(bytes) {
    var ascii = function (from, to) { return String.fromCharCode.apply(null, bytes.slice(from, to)); };
    var webp = bytes.length >= 12 && ascii(0, 4) === "RIFF" && ascii(8, 12) === "WEBP";
    var media = bytes.length >= 12 && ascii(4, 8) === "ftyp" && BRANDS.indexOf(ascii(8, 12)) >= 0;
    return webp || media || SIGNATURES.some(function (sig) {
      return sig.every(function (b, i) { return bytes[i] === b; });
    });
  }

  function sniff(file) {
    if (file.size > maxBytes) return Promise.resolve(text("too-large"));
    return file.slice(0, 16).arrayBuffer().then(function (buffer) {
      return isPicture(Array.prototype.slice.call(new Uint8Array(buffer))) ? "" : text("not-image");
    }, function () { return text("not-image"); });
  }

  function render() {
    previews.replaceChildren();
    chosen.forEach(function (item) {
      var li = document.createElement("li");
      li.className = item.problem ? "preview refused" : "preview";
      if (!item.problem && !item.noPreview) {
        var img = document.createElement("img");
        img.src = item.shown || item.url;
        img.alt = "";
        img.width = 56; img.height = 56;
        // A browser that cannot show the format (HEIC outside Safari) still sends it, and the
        // server reads it. A picture sent before is shown by its thumbnail, which keeps its
        // shape, so a crop drawn on it holds for the original; a new one is listed by its
        // format's name, without the crop it could not draw.
        img.addEventListener("error", function () {
          // (An earlier rendering's image may fail after the thumbnail took its place.)
          if (item.thumb && img.getAttribute("src") !== item.thumb) item.shown = item.thumb;
          else item.noPreview = true;
          render();
        });
        li.appendChild(img);
      } else if (!item.problem) {
        var format = document.createElement("span");
        format.className = "no-preview";
        format.textContent = (item.file.name.split(".").pop() || "?").slice(0, 5).toUpperCase();
        format.title = text("no-preview");
        li.appendChild(format);
      }
      var about = document.createElement("span");
      about.className = "about";
      var name = document.createElement("span");
      name.className = "name";
      name.textContent = item.file.name;
      var detail = document.createElement("span");
      detail.className = item.problem ? "problem" : "size";
      detail.textContent = item.problem || size(item.file.size) + (item.crop ? " · " + text("cropped") : "");
      about.append(name, detail);
      li.appendChild(about);
      if (!item.problem && item.checked && !item.noPreview) {
        var crop = document.createElement("button");
        crop.type = "button";
        crop.className = "secondary small crop-button";
        crop.textContent = text("crop");
        crop.setAttribute("aria-label", text("crop") + " " + item.file.name);
        crop.addEventListener("click", function () { cropper.open(item); });
        li.appendChild(crop);
      }
      var remove = document.createElement("button");
      remove.type = "button";
      remove.className = "secondary small";
      remove.textContent = text("remove");
      remove.setAttribute("aria-label", text("remove") + " " + item.file.name);
      remove.addEventListener("click", function () {
        forget(item);
        URL.revokeObjectURL(item.url);
        render();
      });
      li.appendChild(remove);
      previews.appendChild(li);
    });
    previews.hidden = chosen.length === 0;
    clearButton.hidden = chosen.length === 0;
  }

  function forget(item) {
    var at = chosen.indexOf(item);
    if (at >= 0) chosen.splice(at, 1);
    if (cropper.item === item) cropper.close();
  }

  // `thumb`: the server's thumbnail of a picture sent before, shown if the file itself cannot be.
  function add(files, thumb) {
    Array.prototype.forEach.call(files, function (file) {
      var item = {file: file, problem: "", url: URL.createObjectURL(file), crop: null, checked: false,
                  thumb: thumb || null};
      item.ready = sniff(file).then(function (problem) {
        item.problem = problem;
        item.checked = true;
        render();
      });
      chosen.push(item);
    });
    say(uploadError, "");
    render();
  }

  Array.prototype.forEach.call(pickers, function (input) {
    input.addEventListener("change", function () {
      add(input.files);
      // Emptied so that choosing the same file again still counts; the list above is the truth.
      input.value = "";
    });
  });

  // The native file inputs give way to the drop zone, its button and the preview list.
  form.classList.add("enhanced");
  ["dragenter", "dragover"].forEach(function (type) {
    dropZone.addEventListener(type, function (event) {
      event.preventDefault();
      dropZone.classList.add("dragging");
    });
  });
  ["dragleave", "dragend"].forEach(function (type) {
    dropZone.addEventListener(type, function () { dropZone.classList.remove("dragging"); });
  });
  dropZone.addEventListener("drop", function (event) {
    event.preventDefault();
    dropZone.classList.remove("dragging");
    if (event.dataTransfer && event.dataTransfer.files.length) add(event.dataTransfer.files);
  });

  // A file dropped beside the zone would otherwise replace the page with the picture.
  ["dragover", "drop"].forEach(function (type) {
    document.addEventListener(type, function (event) {
      if (!dropZone.contains(event.target)) event.preventDefault();
    });
  });

  clearButton.addEventListener("click", function () {
    chosen.forEach(function (item) { URL.revokeObjectURL(item.url); });
    chosen = [];
    cropper.close();
    render();
  });

  // --- The crop box: drag on the preview (mouse, touch or pen); arrow keys for keyboards ---
  var cropper = (function () {
    var panel = document.getElementById("cropper");
    var stage = document.getElementById("crop-stage");
    var image = document.getElementById("crop-image");
    var box = document.getElementById("crop-box");
    var state = {item: null, rect: null, start: null, close: close, open: open};

    function show() {
      var r = state.rect;
      box.hidden = !r;
      if (!r) return;
      // Set through the CSSOM: the content security policy forbids style attributes.
      box.style.left = 100 * r[0] + "%";
      box.style.top = 100 * r[1] + "%";
      box.style.width = 100 * (r[2] - r[0]) + "%";
      box.style.height = 100 * (r[3] - r[1]) + "%";
    }

    function at(event) {
      var b = image.getBoundingClientRect();
      return [Math.min(1, Math.max(0, (event.clientX - b.left) / b.width)),
              Math.min(1, Math.max(0, (event.clientY - b.top) / b.height))];
    }

    function open(item) {
      state.item = item;
      state.rect = item.crop ? item.crop.slice() : null;
      image.src = item.shown || item.url;
      panel.hidden = false;
      show();
      stage.focus();
    }

    function close() {
      state.item = null;
      panel.hidden = true;
    }

    // A small picture (a thumbnail, a 112-pixel scan) is drawn larger, so that a box can be aimed
    // on it; the box is kept in fractions of the picture, whatever its drawn size.
    var AIM_SIZE = 320;
    image.addEventListener("load", function () {
      var longest = Math.max(image.naturalWidth, image.naturalHeight);
      image.style.width = longest && longest < AIM_SIZE ? image.naturalWidth * AIM_SIZE / longest + "px" : "";
    });

    // A picture this browser cannot draw (HEIC) is cropped on the server's thumbnail instead.
    image.addEventListener("error", function () {
      var item = state.item;
      if (item && item.thumb && image.getAttribute("src") !== item.thumb) {
        item.shown = item.thumb;
        image.src = item.thumb;
      }
    });

    stage.addEventListener("pointerdown", function (event) {
      event.preventDefault();
      stage.setPointerCapture(event.pointerId);
      state.start = at(event);
      state.rect = null;
      show();
    });
    stage.addEventListener("pointermove", function (event) {
      if (!state.start) return;
      var p = at(event), s = state.start;
      state.rect = [Math.min(s[0], p[0]), Math.min(s[1], p[1]), Math.max(s[0], p[0]), Math.max(s[1], p[1])];
      show();
    });
    ["pointerup", "pointercancel"].forEach(function (type) {
      stage.addEventListener(type, function () {
        state.start = null;
        // A click without a drag is no box.
        if (state.rect && (state.rect[2] - state.rect[0] < 0.02 || state.rect[3] - state.rect[1] < 0.02)) {
          state.rect = null;
          show();
        }
      });
    });
    stage.addEventListener("keydown", function (event) {
      var step = {ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1]}[event.key];
      if (!step) return;
      event.preventDefault();
      var r = state.rect || [0.25, 0.25, 0.75, 0.75];
      var dx = step[0] * 0.05, dy = step[1] * 0.05;
      if (event.shiftKey) {
        r = [r[0], r[1], Math.min(1, Math.max(r[0] + 0.05, r[2] + dx)), Math.min(1, Math.max(r[1] + 0.05, r[3] + dy))];
      } else {
        dx = Math.min(1 - r[2], Math.max(-r[0], dx));
        dy = Math.min(1 - r[3], Math.max(-r[1], dy));
        r = [r[0] + dx, r[1] + dy, r[2] + dx, r[3] + dy];
      }
      state.rect = r;
      show();
    });
    document.getElementById("crop-done").addEventListener("click", function () {
      if (state.item) state.item.crop = state.rect;
      close();
      render();
    });
    document.getElementById("crop-whole").addEventListener("click", function () {
      if (state.item) state.item.crop = null;
      close();
      render();
    });
    return state;
  })();

  // --- Sending: the same queue as every upload, through the JSON API ---
  function showCards(newCards) {
    if (!newCards.length) return;
    results.hidden = false;
    for (var i = newCards.length - 1; i >= 0; i--) cards.insertBefore(newCards[i], cards.firstChild);
    // Focus moves to the first new answer, which also brings it into view on a small screen.
    newCards[0].focus({preventScroll: true});
    newCards[0].scrollIntoView({block: "start"});
  }

  function clearMessages() {
    say(uploadError, "");
    Array.prototype.forEach.call(cards.querySelectorAll(".status-refused"), function (card) { card.remove(); });
  }

  function refusedCard(name, message, items) {
    var match = items && items.filter(function (item) { return item.file.name === name; })[0];
    return window.DigitCards.refused(name, message, match && !match.problem ? match.url : null);
  }

  function send(items, errorEl) {
    var groups = [];
    for (var i = 0; i < items.length; i += maxFiles) groups.push(items.slice(i, i + maxFiles));
    return Promise.all(groups.map(function (group) {
      var body = new FormData();
      group.forEach(function (item) {
        body.append("image", item.file, item.file.name);
        body.append("crop", item.crop ? item.crop.map(function (v) { return v.toFixed(4); }).join(",") : "");
      });
      return fetch(api, {method: "POST", body: body, headers: {"Accept": "application/json", "X-CSRFToken": csrf}})
        .then(function (r) {
          return r.json().then(function (data) {
            var refused = data.refused || [];
            if (!r.ok && r.status !== 202 && !refused.length) throw new Error(data.error || String(r.status));
            var made = (data.predictions || []).map(function (prediction) {
              var card = window.DigitCards.create(prediction);
              var item = group.filter(function (it) { return it.file.name === prediction.filename; })[0];
              if (item) card.digitFile = item.file;
              window.DigitCards.watch(card);
              return card;
            });
            refused.forEach(function (entry) { made.push(refusedCard(entry.filename, entry.error, group)); });
            return made;
          });
        }, function () { throw new Error(text("offline")); });
    })).then(function (lists) {
      return [].concat.apply([], lists);
    }).catch(function (error) { say(errorEl, error.message); throw error; });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    clearMessages();
    if (!chosen.length) { say(uploadError, text("none")); return; }
    var button = document.getElementById("upload-submit");
    button.disabled = true;
    var items = chosen.slice();
    Promise.all(items.map(function (item) { return item.ready; })).then(function () {
      // Files the browser already refused get their own card with their own reason.
      var local = items.filter(function (item) { return item.problem; })
        .map(function (item) { return window.DigitCards.refused(item.file.name, item.problem, null); });
      var good = items.filter(function (item) { return !item.problem; });
      items.forEach(forget);
      render();
      var sent = good.length ? send(good, uploadError).catch(function () { return []; }) : Promise.resolve([]);
      return sent.then(function (made) { showCards(made.concat(local)); });
    }).then(function () { button.disabled = false; });
  });

  // "Crop and try again" on an unsure answer: the same file comes back with the crop box open.
  cards.addEventListener("click", function (event) {
    var button = event.target.closest(".crop-again");
    if (!button) return;
    var card = button.closest(".card");
    if (!card.digitFile) return;
    add([card.digitFile], card.dataset.thumb || null);
    var item = chosen[chosen.length - 1];
    item.ready.then(function () { form.scrollIntoView({block: "start"}); cropper.open(item); });
  });

  // A result page's "Crop and try again" comes here with ?again=<id>: the same picture returns
  // to the list with the crop box open.
  var again = new URLSearchParams(window.location.search).get("again");
  if (again && /^[0-9a-f]+$/.test(again)) {
    fetch(api + "/" + again, {headers: {"Accept": "application/json"}})
      .then(function (r) { return r.ok ? r.json() : Promise.reject(); })
      .then(function (data) {
        return fetch(data.image_url).then(function (r) { return r.ok ? r.blob() : Promise.reject(); })
          .then(function (blob) { return {file: new File([blob], data.filename, {type: blob.type}), thumb: data.thumb_url}; });
      })
      .then(function (picture) {
        add([picture.file], picture.thumb);
        var item = chosen[chosen.length - 1];
        return item.ready.then(function () { if (!item.problem) cropper.open(item); });
      }, function () {});
  }

  // --- The draw pad ---
  var panel = document.getElementById("draw-panel");
  var canvas = document.getElementById("draw-pad");
  var drawError = document.getElementById("draw-error");
  var liveAnswer = document.getElementById("live-answer");
  var liveProbs = document.getElementById("live-probs");
  var ctx = canvas.getContext("2d");
  var strokes = [];
  var current = null;
  var pen = {x: canvas.width / 2, y: canvas.height / 2, down: false};
  var KEY_STEP = canvas.width / 20;
  panel.hidden = false;

  function redraw(withCursor) {
    ctx.fillStyle = "#fff";
    ctx.fillRect(0, 0, canvas.width, canvas.height);
    ctx.strokeStyle = "#111";
    ctx.lineCap = "round";
    ctx.lineJoin = "round";
    ctx.lineWidth = canvas.width / 14;
    strokes.forEach(function (stroke) {
      ctx.beginPath();
      ctx.moveTo(stroke[0][0], stroke[0][1]);
      // A single tap still leaves a dot.
      if (stroke.length === 1) ctx.lineTo(stroke[0][0] + 0.01, stroke[0][1]);
      for (var i = 1; i < stroke.length; i++) ctx.lineTo(stroke[i][0], stroke[i][1]);
      ctx.stroke();
    });
    if (withCursor !== false && document.activeElement === canvas && !current) {
      // Where the keyboard's pen is: a ring, never sent with the drawing.
      ctx.lineWidth = 2;
      ctx.strokeStyle = pen.down ? "#b3261e" : "#2656d9";
      ctx.beginPath();
      ctx.arc(pen.x, pen.y, canvas.width / 28, 0, 2 * Math.PI);
      ctx.stroke();
    }
  }

  function point(event) {
    var box = canvas.getBoundingClientRect();
    return [(event.clientX - box.left) * canvas.width / box.width,
            (event.clientY - box.top) * canvas.height / box.height];
  }

  function drawing(callback) {
    redraw(false);
    canvas.toBlob(function (blob) { callback(blob); }, "image/png");
    redraw(true);
  }

  // --- Live guesses: after each stroke (debounced), through the same queue and worker ---
  var liveTimer = null;
  var liveAsked = 0;
  var liveShown = 0;

  function showProbabilities(probabilities) {
    Array.prototype.forEach.call(liveProbs.children, function (li, d) {
      var p = probabilities ? probabilities[d] : 0;
      li.querySelector("meter").value = p;
      li.querySelector(".v").textContent = probabilities ? (100 * p).toFixed(1) + "%" : "–";
      li.classList.toggle("top", !!probabilities && p === Math.max.apply(null, probabilities));
    });
  }

  function showLive(data) {
    if (data.status === "finished") {
      liveAnswer.textContent = text("live-answer").replace("%s", data.number) +
        (data.low_confidence ? " " + text("live-unsure") : "");
      showProbabilities(data.digits.length === 1 ? data.digits[0].probabilities : null);
    } else {
      liveAnswer.textContent = data.error || text("live-busy");
      showProbabilities(null);
    }
    liveAnswer.dataset.state = data.status;
  }

  function guessSoon() {
    window.clearTimeout(liveTimer);
    if (!strokes.length) return;
    liveTimer = window.setTimeout(function () {
      var asked = ++liveAsked;
      drawing(function (blob) {
        var body = new FormData();
        body.append("image", blob, "live.png");
        fetch(canvas.getAttribute("data-live"), {method: "POST", body: body,
                                                  headers: {"Accept": "application/json", "X-CSRFToken": csrf}})
          .then(function (r) { return r.json(); })
          .then(function (data) {
            // Answers can overtake each other; only the newest drawing's answer is shown.
            if (asked < liveShown) return;
            liveShown = asked;
            showLive(data.status ? data : {status: "failed", error: data.error});
          }, function () {});
      });
    }, 250);
  }

  function resetLive() {
    window.clearTimeout(liveTimer);
    liveShown = ++liveAsked;
    liveAnswer.textContent = text("live-start");
    delete liveAnswer.dataset.state;
    showProbabilities(null);
  }

  canvas.addEventListener("pointerdown", function (event) {
    event.preventDefault();
    canvas.setPointerCapture(event.pointerId);
    window.clearTimeout(liveTimer);
    current = [point(event)];
    strokes.push(current);
    redraw();
  });
  canvas.addEventListener("pointermove", function (event) {
    if (!current) return;
    var events = event.getCoalescedEvents ? event.getCoalescedEvents() : [event];
    (events.length ? events : [event]).forEach(function (e) { current.push(point(e)); });
    redraw();
  });
  ["pointerup", "pointercancel"].forEach(function (type) {
    canvas.addEventListener(type, function () {
      if (!current) return;
      current = null;
      guessSoon();
    });
  });

  // Keyboard drawing: arrows move the pen, Space (or Enter) puts it down or lifts it.
  canvas.addEventListener("keydown", function (event) {
    var step = {ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1]}[event.key];
    if (step) {
      event.preventDefault();
      pen.x = Math.min(canvas.width - 1, Math.max(0, pen.x + step[0] * KEY_STEP));
      pen.y = Math.min(canvas.height - 1, Math.max(0, pen.y + step[1] * KEY_STEP));
      if (pen.down) strokes[strokes.length - 1].push([pen.x, pen.y]);
      redraw();
    } else if (event.key === " " || event.key === "Enter") {
      event.preventDefault();
      pen.down = !pen.down;
      if (pen.down) strokes.push([[pen.x, pen.y]]);
      else guessSoon();
      redraw();
    } else if (event.key === "Escape" && pen.down) {
      pen.down = false;
      guessSoon();
      redraw();
    }
  });
  canvas.addEventListener("focus", function () { redraw(); });
  canvas.addEventListener("blur", function () {
    if (pen.down) { pen.down = false; guessSoon(); }
    redraw();
  });

  document.getElementById("draw-upload-link").addEventListener("click", function (event) {
    event.preventDefault();
    document.getElementById("id_image").focus();
  });
  document.getElementById("draw-undo").addEventListener("click", function () {
    strokes.pop();
    pen.down = false;
    redraw();
    if (strokes.length) guessSoon(); else resetLive();
  });
  document.getElementById("draw-clear").addEventListener("click", function () {
    strokes = [];
    pen.down = false;
    redraw();
    resetLive();
    say(drawError, "");
  });

  function stamp() {
    var d = new Date();
    function two(n) { return (n < 10 ? "0" : "") + n; }
    return d.getFullYear() + two(d.getMonth() + 1) + two(d.getDate()) + "-" +
      two(d.getHours()) + two(d.getMinutes()) + two(d.getSeconds());
  }

  // Recognise records the drawing in the history, as an upload does; the drawing stays.
  document.getElementById("draw-recognise").addEventListener("click", function () {
    if (!strokes.length) { say(drawError, text("empty-drawing")); return; }
    say(drawError, "");
    clearMessages();
    var button = this;
    button.disabled = true;
    drawing(function (blob) {
      var file = new File([blob], "drawing-" + stamp() + ".png", {type: "image/png"});
      send([{file: file, crop: null}], drawError).then(showCards, function () {})
        .then(function () { button.disabled = false; });
    });
  });

  redraw();
})();
