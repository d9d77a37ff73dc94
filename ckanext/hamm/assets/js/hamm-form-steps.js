/* The dataset form as steps: one section at a time, a step list above, Zurück/Weiter below.
 * Without JavaScript every section shows, as before. Hidden sections' inputs are still
 * sent, so the server checks the whole form; after a failed save the first section with an
 * error opens. A new dataset shows the save buttons on the last step; an edit keeps them
 * visible, because staff often change one field and save. */
ckan.module("hamm-form-steps", function ($) {
  "use strict";
  return {
    options: {
      next: "Weiter",
      back: "Zurück",
      steps: "Schritte des Formulars",
      position: "Schritt {number} von {total}",
      keepActions: false
    },

    initialize: function () {
      var root = this.el[0];
      this.sections = Array.prototype.filter.call(root.children, function (node) {
        return node.matches("fieldset.hamm-form-group");
      });
      if (this.sections.length < 2) { return; }
      this.form = root.closest("form");
      this.actions = this.form ? this.form.querySelector(".form-actions") : null;
      this.status = document.createElement("p");
      this.status.className = "hamm-step-status";
      this.status.setAttribute("aria-live", "polite");
      this.list = this._stepList();
      root.insertBefore(this.status, root.firstChild);
      root.insertBefore(this.list, root.firstChild);
      this.sections.forEach(this._addButtons.bind(this));
      this.el.on("keydown", this._onKeydown.bind(this));
      var withError = this.sections.findIndex(function (section) {
        return section.querySelector(".error-block, .is-invalid, [aria-invalid=true]") !== null;
      });
      this.show(withError >= 0 ? withError : 0, false);
      window.setTimeout(this._nameComboboxes.bind(this), 0);
    },

    /* Select2 (the tag field) leaves its combobox without a name and its search box named
     * "Search": both take the field's own label once the other modules have run. */
    _nameComboboxes: function () {
      this.el[0].querySelectorAll(".select2-container").forEach(function (container) {
        var input = container.previousElementSibling;
        var label = input && input.id ? document.querySelector('label[for="' + input.id + '"]') : null;
        if (!label) { return; }
        if (!label.id) { label.id = input.id + "-label"; }
        container.querySelectorAll("[role=combobox]").forEach(function (box) { box.setAttribute("aria-labelledby", label.id); });
        container.querySelectorAll(".select2-search__field").forEach(function (box) { box.setAttribute("aria-label", label.textContent.trim()); });
      });
    },

    _title: function (section) {
      var legend = section.querySelector("legend");
      return legend ? legend.textContent.trim() : "";
    },

    _stepList: function () {
      var nav = document.createElement("nav");
      nav.setAttribute("aria-label", this.options.steps);
      var list = document.createElement("ol");
      list.className = "hamm-steps";
      this.sections.forEach(function (section, index) {
        var item = document.createElement("li");
        var button = document.createElement("button");
        button.type = "button";
        button.className = "hamm-step";
        button.textContent = this._title(section);
        button.addEventListener("click", this.show.bind(this, index, true));
        item.appendChild(button);
        list.appendChild(item);
      }, this);
      nav.appendChild(list);
      return nav;
    },

    _addButtons: function (section, index) {
      var bar = document.createElement("div");
      bar.className = "hamm-step-buttons";
      if (index > 0) {
        bar.appendChild(this._button(this.options.back, "btn btn-default", index - 1));
      }
      if (index < this.sections.length - 1) {
        bar.appendChild(this._button(this.options.next, "btn btn-primary", index + 1));
      }
      section.appendChild(bar);
    },

    _button: function (label, className, target) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = className;
      button.textContent = label;
      button.addEventListener("click", this.show.bind(this, target, true));
      return button;
    },

    /* Enter in a text field moves on instead of saving a half-filled form. */
    _onKeydown: function (event) {
      var target = event.target;
      if (event.key !== "Enter" || this.current === this.sections.length - 1) { return; }
      if (target.tagName !== "INPUT" || ["checkbox", "radio", "submit", "button"].indexOf(target.type) >= 0) { return; }
      event.preventDefault();
      this.show(this.current + 1, true);
    },

    show: function (index, moveFocus) {
      var total = this.sections.length;
      this.current = index;
      this.sections.forEach(function (section, position) { section.hidden = position !== index; });
      this.list.querySelectorAll(".hamm-step").forEach(function (button, position) {
        if (position === index) { button.setAttribute("aria-current", "step"); } else { button.removeAttribute("aria-current"); }
      });
      if (this.actions && !this.options.keepActions) { this.actions.hidden = index !== total - 1; }
      this.status.textContent = this.options.position.replace("{number}", index + 1).replace("{total}", total) +
        ": " + this._title(this.sections[index]);
      if (moveFocus) {
        var legend = this.sections[index].querySelector("legend");
        legend.setAttribute("tabindex", "-1");
        legend.focus();
      }
    }
  };
});
