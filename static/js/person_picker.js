/* Person picker (people/forms.py): turns each [data-person-picker] text box into a combobox
   that suggests active people from the search endpoint and puts the chosen person's id in the
   hidden input. Requests are bounded: nothing under two characters, one request per pause in
   typing, the previous one aborted, answers kept for the page's life. Without this script the
   box still works: the server reads an exact external id or email. No inline JS (CSP). */
(function () {
  "use strict";
  var MIN_LENGTH = 2;
  var PAUSE_MS = 250;
  var pickers = 0;

  function enhance(root) {
    var box = root.querySelector("input[type=text]");
    var hidden = root.querySelector("input[data-person-id]");
    var url = root.getAttribute("data-search-url");
    var id = box.id || "person-picker-" + ++pickers;
    var list = document.createElement("ul");
    var status = document.createElement("p");
    var cache = new Map();
    var timer = null;
    var request = null;
    var options = [];
    var active = -1;

    list.id = id + "-options";
    list.className = "person-options";
    list.setAttribute("role", "listbox");
    list.hidden = true;
    status.className = "person-status help";
    status.setAttribute("aria-live", "polite");
    root.append(list, status);
    box.setAttribute("role", "combobox");
    box.setAttribute("aria-autocomplete", "list");
    box.setAttribute("aria-expanded", "false");
    box.setAttribute("aria-controls", list.id);
    root.classList.toggle("chosen", hidden.value !== "");

    function close() {
      list.hidden = true;
      box.setAttribute("aria-expanded", "false");
      box.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function highlight(index) {
      options.forEach(function (option, i) {
        option.setAttribute("aria-selected", i === index ? "true" : "false");
      });
      active = index;
      if (index < 0) {
        box.removeAttribute("aria-activedescendant");
        return;
      }
      box.setAttribute("aria-activedescendant", options[index].id);
      options[index].scrollIntoView({ block: "nearest" });
    }

    function choose(option) {
      hidden.value = option.getAttribute("data-id");
      box.value = option.getAttribute("data-label");
      root.classList.add("chosen");
      status.textContent = "Chosen: " + box.value;
      close();
    }

    function show(answer) {
      list.replaceChildren();
      options = answer.results.map(function (person, i) {
        var option = document.createElement("li");
        var name = document.createElement("span");
        var externalId = document.createElement("span");
        option.id = list.id + "-" + i;
        option.setAttribute("role", "option");
        option.setAttribute("aria-selected", "false");
        option.setAttribute("data-id", person.id);
        option.setAttribute("data-label", person.name + " (" + person.external_id + ")");
        option.setAttribute("aria-label", option.getAttribute("data-label"));
        name.textContent = person.name;
        externalId.className = "muted";
        externalId.textContent = person.external_id;
        option.append(name, externalId);
        list.append(option);
        return option;
      });
      if (!options.length) {
        status.textContent = "No active person matches “" + box.value.trim() + "”.";
        close();
        return;
      }
      status.textContent = answer.more
        ? "The first " + options.length + " matches: type more to narrow them."
        : options.length + (options.length === 1 ? " match." : " matches.");
      list.hidden = false;
      box.setAttribute("aria-expanded", "true");
      highlight(-1);
    }

    function fetchSuggestions(query) {
      if (cache.has(query)) {
        show(cache.get(query));
        return;
      }
      if (request) {
        request.abort();
      }
      request = new AbortController();
      fetch(url + "?q=" + encodeURIComponent(query), {
        headers: { Accept: "application/json" },
        credentials: "same-origin",
        signal: request.signal,
      })
        .then(function (response) {
          var type = response.headers.get("content-type") || "";
          if (!response.ok || !type.startsWith("application/json")) {
            throw new Error("search answered " + response.status);
          }
          return response.json();
        })
        .then(function (answer) {
          cache.set(query, answer);
          if (box.value.trim() === query) {
            show(answer);
          }
        })
        .catch(function (error) {
          if (error.name !== "AbortError") {
            status.textContent = "Suggestions are unavailable: type an exact external id or email.";
          }
        });
    }

    box.addEventListener("input", function () {
      // Typing again un-chooses: the server then reads the text as an external id or email.
      hidden.value = "";
      root.classList.remove("chosen");
      clearTimeout(timer);
      var query = box.value.trim();
      if (query.length < MIN_LENGTH) {
        status.textContent = "";
        close();
        return;
      }
      timer = setTimeout(function () {
        fetchSuggestions(query);
      }, PAUSE_MS);
    });

    box.addEventListener("keydown", function (event) {
      if (list.hidden) {
        if (event.key === "ArrowDown" && options.length) {
          list.hidden = false;
          box.setAttribute("aria-expanded", "true");
          highlight(0);
          event.preventDefault();
        }
        return;
      }
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        var step = event.key === "ArrowDown" ? 1 : -1;
        highlight((active + step + options.length) % options.length);
        event.preventDefault();
      } else if (event.key === "Enter" && active >= 0) {
        choose(options[active]); // and do not submit the form
        event.preventDefault();
      } else if (event.key === "Escape") {
        close();
        event.preventDefault();
      }
    });

    // Keep the focus in the box while a suggestion is pressed, then choose it on click.
    list.addEventListener("mousedown", function (event) {
      event.preventDefault();
    });
    list.addEventListener("click", function (event) {
      var option = event.target.closest("[role=option]");
      if (option) {
        choose(option);
        box.focus();
      }
    });
    box.addEventListener("blur", close);
  }

  document.querySelectorAll("[data-person-picker]").forEach(enhance);
})();
