// Poll each pending result card and reload the page once every answer is in.
// Without JavaScript the page refreshes itself (a <noscript> meta refresh) or by its link.
(function () {
  "use strict";
  var pending = Array.prototype.slice.call(
    document.querySelectorAll(".card.status-queued, .card.status-started"));
  if (!pending.length) return;
  var delay = 150;
  function poll() {
    Promise.all(pending.map(function (card) {
      return fetch(card.dataset.url, {headers: {"Accept": "application/json"}})
        .then(function (r) { return r.ok ? r.json() : null; })
        .catch(function () { return null; });
    })).then(function (answers) {
      var done = answers.every(function (a) {
        return a && (a.status === "finished" || a.status === "failed");
      });
      if (done) { window.location.reload(); return; }
      delay = Math.min(delay * 1.5, 2000);
      window.setTimeout(poll, delay);
    });
  }
  window.setTimeout(poll, delay);
})();
