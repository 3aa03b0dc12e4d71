// Citation marks: toggle the panel of source sentences next to a sentence.
// Without this script the same panels open through CSS :target.
"use strict";
document.addEventListener("click", function (event) {
  var mark = event.target.closest ? event.target.closest("a.cite") : null;
  if (!mark) { return; }
  var panel = document.getElementById(mark.getAttribute("aria-controls") || "");
  if (!panel) { return; }
  event.preventDefault();
  var open = panel.classList.toggle("open");
  mark.setAttribute("aria-expanded", open ? "true" : "false");
});
