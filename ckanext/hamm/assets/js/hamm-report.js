/* "Fehler melden": send the report without leaving the dataset page.
 * Without JavaScript the form posts normally; this module only enhances it.
 * Errors are written next to their fields (aria-describedby, aria-invalid)
 * and announced through the form's live region. */
ckan.module("hamm-report", function ($) {
  "use strict";
  return {
    initialize: function () {
      this.el.on("submit", this._onSubmit.bind(this));
    },

    _clearErrors: function (form) {
      form.querySelectorAll("[data-hamm-error]").forEach(function (node) { node.textContent = ""; node.hidden = true; });
      form.querySelectorAll("[aria-invalid]").forEach(function (node) { node.removeAttribute("aria-invalid"); });
    },

    _showErrors: function (form, errors) {
      var first = null;
      Object.keys(errors).forEach(function (name) {
        var slot = form.querySelector('[data-hamm-error="' + name + '"]');
        var field = form.querySelector('[name="' + name + '"]');
        if (slot) { slot.textContent = errors[name].join(" "); slot.hidden = false; }
        if (field) {
          form.querySelectorAll('[name="' + name + '"]').forEach(function (node) { node.setAttribute("aria-invalid", "true"); });
          first = first || field;
        }
      });
      if (first) { first.focus(); }
    },

    _onSubmit: function (event) {
      var form = this.el[0];
      var status = form.querySelector("[data-hamm-status]");
      var button = form.querySelector("button[type=submit]");
      var token = form.querySelector("input[name=_csrf_token]");
      event.preventDefault();
      this._clearErrors(form);
      button.disabled = true;
      fetch(form.action, {
        method: "POST",
        body: new FormData(form),
        credentials: "same-origin",
        headers: { "X-Requested-With": "fetch", "X-CSRFToken": token ? token.value : "" }
      }).then(function (response) {
        return response.json().catch(function () { return { success: false }; });
      }).then(function (result) {
        button.disabled = false;
        if (result.success) {
          form.reset();
          status.className = "hamm-alert hamm-alert-ok";
          status.textContent = result.message;
        } else {
          status.className = "hamm-alert hamm-alert-error";
          status.textContent = form.getAttribute("data-hamm-error-text");
          this._showErrors(form, result.errors || {});
        }
        status.hidden = false;
      }.bind(this)).catch(function () {
        button.disabled = false;
        status.className = "hamm-alert hamm-alert-error";
        status.textContent = form.getAttribute("data-hamm-failed-text");
        status.hidden = false;
      });
    }
  };
});
