// Small progressive enhancements; every page works without them.
(function () {
  "use strict";
  // A form marked data-once cannot be sent twice by a second click (the server refuses too).
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.hasAttribute("data-once")) return;
    if (form.dataset.sent) { event.preventDefault(); return; }
    form.dataset.sent = "1";
    var button = form.querySelector("[type=submit]");
    if (button) {
      setTimeout(function () { button.disabled = true; }, 0);
      if (button.dataset.busyText) button.textContent = button.dataset.busyText;
    }
  });
  // A select marked data-autosubmit sends its form when changed (a <noscript> button does it without script).
  document.addEventListener("change", function (event) {
    var select = event.target;
    if (select.matches && select.matches("select[data-autosubmit]") && select.form) select.form.submit();
  });
  // The phone menu scrolls sideways: bring the current area into view.
  var current = document.querySelector(".mainnav [aria-current]");
  if (current && current.parentNode.scrollWidth > current.parentNode.clientWidth) {
    current.parentNode.scrollLeft = current.offsetLeft - 12;
  }
  // A page restored from the back/forward cache gets its buttons back.
  window.addEventListener("pageshow", function (event) {
    if (!event.persisted) return;
    document.querySelectorAll("form[data-once]").forEach(function (form) {
      delete form.dataset.sent;
      form.querySelectorAll("[type=submit]").forEach(function (b) { b.disabled = false; });
    });
  });
  // Report form: show the chosen photos, so a teacher sees at once that the right ones are attached.
  document.querySelectorAll(".photo-drop input[type=file]").forEach(function (input) {
    var field = input.closest(".field");
    var preview = field && field.querySelector("[data-photo-preview]");
    if (!preview || !window.URL || !URL.createObjectURL) return;
    input.addEventListener("change", function () {
      preview.querySelectorAll("img").forEach(function (img) { URL.revokeObjectURL(img.src); });
      preview.textContent = "";
      Array.prototype.forEach.call(input.files || [], function (file) {
        if (!/^image\//.test(file.type)) return;
        var img = document.createElement("img");
        img.src = URL.createObjectURL(file);
        img.alt = file.name;
        preview.appendChild(img);
      });
      preview.hidden = !preview.childElementCount;
      field.classList.toggle("has-photos", !!preview.childElementCount);
    });
  });
  // Check form: the fault fields matter only when a fault is reported.
  var toggle = document.getElementById("id_report_fault");
  if (toggle) {
    var names = ["fault_location", "fault_title", "fault_urgency"];
    var sync = function () {
      names.forEach(function (n) {
        var el = document.getElementById("id_" + n);
        if (el) el.closest(".field").hidden = !toggle.checked;
      });
    };
    toggle.addEventListener("change", sync);
    sync();
  }
  // Term summary editor: a figure's name goes where the cursor is.
  document.querySelectorAll("[data-insert]").forEach(function (button) {
    button.addEventListener("click", function () {
      var area = document.getElementById(button.getAttribute("data-target"));
      if (!area) return;
      var text = button.getAttribute("data-insert");
      var start = area.selectionStart || 0, end = area.selectionEnd || 0;
      area.value = area.value.slice(0, start) + text + area.value.slice(end);
      area.focus();
      area.selectionStart = area.selectionEnd = start + text.length;
    });
  });
})();
