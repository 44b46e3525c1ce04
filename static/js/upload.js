// The upload page with JavaScript: several files by picker, camera or drag-and-drop, a draw
// pad, and result cards that fill in live. Without JavaScript the form posts as usual.
(function () {
  "use strict";
  var form = document.getElementById("upload-form");
  if (!form || !window.fetch || !window.DigitCards) return;

  var api = form.getAttribute("data-api");
  var maxBytes = parseInt(form.getAttribute("data-max-bytes"), 10);
  var maxFiles = parseInt(form.getAttribute("data-max-files"), 10) || 20;
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
  function check(file) {
    if (file.size > maxBytes) return text("too-large").replace("%s", file.name);
    if (file.type && file.type.indexOf("image/") !== 0) return text("not-image").replace("%s", file.name);
    return "";
  }

  function render() {
    previews.replaceChildren();
    chosen.forEach(function (item, n) {
      var li = document.createElement("li");
      li.className = item.problem ? "preview refused" : "preview";
      if (!item.problem) {
        var img = document.createElement("img");
        img.src = item.url;
        img.alt = "";
        img.width = 56; img.height = 56;
        li.appendChild(img);
      }
      var about = document.createElement("span");
      about.className = "about";
      var name = document.createElement("span");
      name.className = "name";
      name.textContent = item.file.name;
      var detail = document.createElement("span");
      detail.className = item.problem ? "problem" : "size";
      detail.textContent = item.problem || size(item.file.size);
      about.append(name, detail);
      var remove = document.createElement("button");
      remove.type = "button";
      remove.className = "secondary small";
      remove.textContent = text("remove");
      remove.setAttribute("aria-label", text("remove") + " " + item.file.name);
      remove.addEventListener("click", function () {
        if (item.url) URL.revokeObjectURL(item.url);
        chosen.splice(n, 1);
        render();
      });
      li.append(about, remove);
      previews.appendChild(li);
    });
    previews.hidden = chosen.length === 0;
    clearButton.hidden = chosen.length === 0;
  }

  function add(files) {
    Array.prototype.forEach.call(files, function (file) {
      var problem = check(file);
      chosen.push({file: file, problem: problem, url: problem ? null : URL.createObjectURL(file)});
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
    chosen.forEach(function (item) { if (item.url) URL.revokeObjectURL(item.url); });
    chosen = [];
    render();
  });

  // --- Sending: the same queue as every upload, through the JSON API ---
  function send(files, errorEl) {
    var groups = [];
    for (var i = 0; i < files.length; i += maxFiles) groups.push(files.slice(i, i + maxFiles));
    return Promise.all(groups.map(function (group) {
      var body = new FormData();
      group.forEach(function (file) { body.append("image", file, file.name); });
      return fetch(api, {method: "POST", body: body, headers: {"Accept": "application/json"}})
        .then(function (r) {
          return r.json().then(function (data) {
            if (!r.ok && r.status !== 202) throw new Error(text("failed") + " " + (data.error || r.status));
            return data.predictions;
          });
        }, function () { throw new Error(text("offline")); })
        .then(function (predictions) {
          results.hidden = false;
          predictions.forEach(function (prediction) {
            var card = window.DigitCards.create(prediction);
            cards.insertBefore(card, cards.firstChild);
            window.DigitCards.watch(card);
          });
          return predictions;
        });
    })).catch(function (error) { say(errorEl, error.message); throw error; });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var files = chosen.filter(function (item) { return !item.problem; })
      .map(function (item) { return item.file; });
    if (!files.length) { say(uploadError, text("none")); return; }
    var button = document.getElementById("upload-submit");
    button.disabled = true;
    send(files, uploadError).then(function () {
      chosen.forEach(function (item) { if (item.url) URL.revokeObjectURL(item.url); });
      chosen = [];
      render();
      results.scrollIntoView({behavior: "smooth", block: "start"});
    }, function () {}).then(function () { button.disabled = false; });
  });

  // --- The draw pad ---
  var panel = document.getElementById("draw-panel");
  var canvas = document.getElementById("draw-pad");
  var drawError = document.getElementById("draw-error");
  var ctx = canvas.getContext("2d");
  var strokes = [];
  var current = null;
  panel.hidden = false;

  function redraw() {
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
  }

  function point(event) {
    var box = canvas.getBoundingClientRect();
    return [(event.clientX - box.left) * canvas.width / box.width,
            (event.clientY - box.top) * canvas.height / box.height];
  }

  canvas.addEventListener("pointerdown", function (event) {
    event.preventDefault();
    canvas.setPointerCapture(event.pointerId);
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
    canvas.addEventListener(type, function () { current = null; });
  });

  document.getElementById("draw-undo").addEventListener("click", function () {
    strokes.pop();
    redraw();
  });
  document.getElementById("draw-clear").addEventListener("click", function () {
    strokes = [];
    redraw();
    say(drawError, "");
  });

  function stamp() {
    var d = new Date();
    function two(n) { return (n < 10 ? "0" : "") + n; }
    return d.getFullYear() + two(d.getMonth() + 1) + two(d.getDate()) + "-" +
      two(d.getHours()) + two(d.getMinutes()) + two(d.getSeconds());
  }

  document.getElementById("draw-recognise").addEventListener("click", function () {
    if (!strokes.length) { say(drawError, text("empty-drawing")); return; }
    say(drawError, "");
    var button = this;
    button.disabled = true;
    canvas.toBlob(function (blob) {
      var file = new File([blob], "drawing-" + stamp() + ".png", {type: "image/png"});
      send([file], drawError).then(function () {
        strokes = [];
        redraw();
      }, function () {}).then(function () { button.disabled = false; });
    }, "image/png");
  });

  redraw();
})();
