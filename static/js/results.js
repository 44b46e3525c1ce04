// Result pages: fill in each pending card as its job finishes. Without JavaScript the page
// refreshes itself (a <noscript> meta refresh) or by its link.
(function () {
  "use strict";
  var pending = document.querySelectorAll(".card.status-queued, .card.status-started");
  Array.prototype.forEach.call(pending, function (card) {
    var refresh = card.querySelector(".refresh");
    if (refresh) refresh.remove();
    card.querySelector(".outcome").setAttribute("aria-live", "polite");
    window.DigitCards.watch(card);
  });
  // The feedback form needs a finished answer: reload once to show it.
  if (pending.length && document.querySelector("[data-reload-when-done]")) {
    var left = pending.length;
    document.addEventListener("card:done", function () {
      left -= 1;
      if (left === 0) window.location.reload();
    });
  }
})();
