// The console's only script, shipped with the package. Pages work without it.
"use strict";
document.querySelectorAll("form.filters select[data-autosubmit]").forEach(function (el) {
  el.addEventListener("change", function () { el.form.submit(); });
});
