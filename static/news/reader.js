/*
 * Reader preferences of the public pages: text size and high contrast, remembered per
 * reader in localStorage, plus the article toolbar (larger / smaller text, contrast,
 * print) and the share link's copy button.
 *
 * Loaded in <head> without defer, on every page (templates/base.html): the stored
 * preference is applied to <html> before the page is painted, so it does not flash.
 * Progressive enhancement: without scripts the toolbar stays hidden and the page is
 * whole (the browser's own zoom and print work as always). No inline script, no inline
 * style attribute: the size is a CSS custom property set through the CSSOM, which the
 * Content-Security-Policy allows.
 */
(function () {
  "use strict";

  var SIZES = [0.875, 1, 1.125, 1.25, 1.375, 1.5];
  var DEFAULT_SIZE = 1;
  var KEY_SIZE = "danvan.textSize";
  var KEY_CONTRAST = "danvan.contrast";
  var root = document.documentElement;

  function read(key) {
    try {
      return window.localStorage.getItem(key);
    } catch (error) {
      return null; // storage disabled: preferences last for this page only
    }
  }

  function write(key, value) {
    try {
      if (value === null) {
        window.localStorage.removeItem(key);
      } else {
        window.localStorage.setItem(key, value);
      }
    } catch (error) {
      /* storage disabled */
    }
  }

  var current = parseInt(read(KEY_SIZE), 10);
  if (isNaN(current) || current < 0 || current >= SIZES.length) {
    current = DEFAULT_SIZE;
  }

  function applySize(index) {
    current = index;
    if (index === DEFAULT_SIZE) {
      root.style.removeProperty("--font-scale");
    } else {
      root.style.setProperty("--font-scale", String(SIZES[index]));
    }
    root.setAttribute("data-text-size", String(index));
  }

  function applyContrast(on) {
    root.classList.toggle("contrast-high", on);
  }

  applySize(current);
  applyContrast(read(KEY_CONTRAST) === "high");

  function refresh(box) {
    box.querySelectorAll("[data-reader]").forEach(function (button) {
      var action = button.getAttribute("data-reader");
      if (action === "contrast") {
        button.setAttribute("aria-pressed", root.classList.contains("contrast-high") ? "true" : "false");
      } else if (action === "larger") {
        button.disabled = current >= SIZES.length - 1;
      } else if (action === "smaller") {
        button.disabled = current <= 0;
      }
    });
  }

  function wireToolbar(box) {
    box.hidden = false;
    refresh(box);
    box.addEventListener("click", function (event) {
      var button = event.target.closest("[data-reader]");
      if (!button || button.disabled) {
        return;
      }
      var action = button.getAttribute("data-reader");
      if (action === "larger" || action === "smaller") {
        var next = Math.max(0, Math.min(SIZES.length - 1, current + (action === "larger" ? 1 : -1)));
        applySize(next);
        write(KEY_SIZE, next === DEFAULT_SIZE ? null : String(next));
      } else if (action === "contrast") {
        var on = !root.classList.contains("contrast-high");
        applyContrast(on);
        write(KEY_CONTRAST, on ? "high" : null);
      } else if (action === "print") {
        window.print();
      }
      refresh(box);
    });
  }

  function wireShare(button) {
    var input = document.querySelector("[data-share-url]");
    var status = document.querySelector("[data-share-status]");
    if (!input) {
      return;
    }
    button.hidden = false;
    function say(attribute) {
      if (status) {
        status.textContent = status.getAttribute(attribute) || "";
      }
    }
    function fallback() {
      input.focus();
      input.select();
      try {
        say(document.execCommand("copy") ? "data-copied" : "data-copy-failed");
      } catch (error) {
        say("data-copy-failed");
      }
    }
    button.addEventListener("click", function () {
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(input.value).then(function () {
          say("data-copied");
        }, fallback);
      } else {
        fallback();
      }
    });
  }

  function wire() {
    document.querySelectorAll("[data-reader-tools]").forEach(wireToolbar);
    document.querySelectorAll("[data-share-copy]").forEach(wireShare);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", wire);
  } else {
    wire();
  }
})();
