"""In Chromium: drawing shows the worker's guess and all ten probabilities after each stroke,
without writing history; a stroke more changes the guess; Recognise records the drawing and
keeps it on the pad; on a phone the new answer is brought into view and focused."""
import pytest

from recognizer import history

from .browser import browser, draw_stroke, open_page, worker_process  # noqa: F401  (fixtures)

pytestmark = pytest.mark.slow




def _live_digit(page):
    return page.evaluate("""() => {
        const items = [...document.querySelectorAll('#live-probs li')];
        return items.map(li => li.querySelector('meter').value);
    }""")


def _wait_for_guess(page, text):
    page.wait_for_function("t => document.getElementById('live-answer').textContent.includes(t)", arg=text)


def test_live_guesses_follow_the_strokes(open_page, worker_process):
    browser_page = open_page()
    page = browser_page.open("/")
    # A vertical stroke: a one.
    draw_stroke(page, [(0.55, 0.15), (0.5, 0.85)])
    _wait_for_guess(page, "1")
    probabilities = _live_digit(page)
    assert len(probabilities) == 10 and abs(sum(probabilities) - 1) < 0.01
    assert max(range(10), key=probabilities.__getitem__) == 1
    assert page.locator("#live-probs li.top .k").inner_text() == "1"
    # A bar across the top turns it into a seven; the guess follows.
    draw_stroke(page, [(0.2, 0.15), (0.55, 0.15)])
    _wait_for_guess(page, "7")
    assert max(range(10), key=_live_digit(page).__getitem__) == 7
    assert history.counts()["total"] == 0  # live guesses are not history

    before = page.evaluate("document.getElementById('draw-pad').toDataURL()")
    page.click("#draw-recognise")
    card = page.locator(".card.status-finished")
    card.wait_for()
    assert card.locator(".digit").inner_text().endswith("7")
    [record] = history.page()[1]
    assert record["digit"] == 7 and record["filename"].startswith("drawing-")
    # The drawing stays for another try.
    assert page.evaluate("document.getElementById('draw-pad').toDataURL()") == before
    page.click("#draw-clear")
    assert page.locator("#live-probs li.top").count() == 0
    assert browser_page.errors == []


def test_on_a_phone_the_answer_comes_into_view(open_page, worker_process):
    browser_page = open_page(width=375, height=700)
    page = browser_page.open("/")
    page.locator("#draw-pad").scroll_into_view_if_needed()
    draw_stroke(page, [(0.5, 0.15), (0.5, 0.85)])
    page.click("#draw-recognise")
    card = page.locator(".card.status-finished")
    card.wait_for()
    assert page.evaluate("document.activeElement.classList.contains('card')")
    top = card.evaluate("c => c.getBoundingClientRect().top")
    assert 0 <= top < 700
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    assert browser_page.errors == []
