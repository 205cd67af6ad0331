// The application and registration forms (applications/public/_applicant_fields.html):
// focus the error summary when the page comes back with mistakes, and show only the fieldset of
// the type of applicant chosen. Without this script both fieldsets show under their headings and
// the server ignores the one not chosen.
(function () {
  "use strict";

  function focusSummary() {
    var summary = document.getElementById("error-summary");
    if (summary) {
      summary.focus();
    }
  }

  function chosenType(form) {
    var checked = form.querySelector('input[name="applicant_type"]:checked');
    return checked ? checked.value : "";
  }

  function showChosenType(form) {
    var kind = chosenType(form);
    var sets = form.querySelectorAll("fieldset[data-applicant-type]");
    for (var i = 0; i < sets.length; i++) {
      // Nothing chosen yet: hide both until the applicant says who they are.
      var shown = kind !== "" && sets[i].getAttribute("data-applicant-type") === kind;
      sets[i].hidden = !shown;
      sets[i].disabled = !shown;
    }
  }

  function setUp() {
    focusSummary();
    var forms = document.querySelectorAll("form.apply-form");
    for (var i = 0; i < forms.length; i++) {
      var form = forms[i];
      var radios = form.querySelectorAll('input[name="applicant_type"]');
      for (var j = 0; j < radios.length; j++) {
        radios[j].addEventListener("change", showChosenType.bind(null, form));
      }
      showChosenType(form);
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUp);
  } else {
    setUp();
  }
})();
