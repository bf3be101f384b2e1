// Lodestar's progressive enhancements. Every page works without this file;
// it only adds conveniences, each set up when the page has what it needs.
"use strict";

document.addEventListener("DOMContentLoaded", () => {
  for (const setup of Object.values(window.lodestar || {})) {
    setup();
  }
});

window.lodestar = window.lodestar || {};
