// The script of caseload's HTML reports: sorting, filtering and paging the table of moves,
// printing the handouts alone, and, on a page told where to ask why (the dashboard sets
// data-why on <html>), making every case id a link to its answer. The page reads without it (the first page of moves is in the
// HTML); with it, every move comes from the JSON block beside the table. Text from the input is
// only ever set as textContent, never parsed as HTML.
(function () {
  "use strict";
  var PAGE = 100;

  function byId(id) {
    return document.getElementById(id);
  }

  function movesTable() {
    var table = byId("moves");
    var source = byId("moves-data");
    if (!table || !source) {
      return;
    }
    var data = JSON.parse(source.textContent);
    var rows = data.rows.map(function (row, i) {
      return { cells: row, order: i };
    });
    var state = { key: null, descending: false, page: 0, shown: rows };
    var worker = byId("moves-worker");
    var skill = byId("moves-skill");
    var kind = byId("moves-kind");
    var status = byId("moves-status");
    var prev = byId("moves-prev");
    var next = byId("moves-next");
    var pageLabel = byId("moves-page");
    var tbody = table.tBodies[0];

    function cellText(row, column) {
      var value = row.cells[column];
      switch (column) {
        case 1:
          return value === null ? "new intake" : value;
        case 3:
          return data.kinds[value];
        case 4:
          return value ? "yes" : "no";
        case 5:
          return value.join(", ");
        default:
          return value;
      }
    }

    function sortValue(row, column) {
      var value = row.cells[column];
      if (column === 4) {
        return value ? 1 : 0;
      }
      return cellText(row, column);
    }

    function compare(a, b) {
      var x = sortValue(a, state.key);
      var y = sortValue(b, state.key);
      var order = typeof x === "number" ? x - y : String(x).localeCompare(String(y), undefined, { numeric: true });
      if (state.descending) {
        order = -order;
      }
      return order || a.order - b.order;
    }

    function keep(row) {
      var w = worker.value;
      var s = skill.value;
      var k = kind.value;
      if (w && row.cells[1] !== w && row.cells[2] !== w) {
        return false;
      }
      if (s && row.cells[5].indexOf(s) < 0) {
        return false;
      }
      return !k || row.cells[3] === k;
    }

    function render() {
      var shown = rows.filter(keep);
      if (state.key !== null) {
        shown.sort(compare);
      }
      state.shown = shown;
      var pages = Math.max(1, Math.ceil(shown.length / PAGE));
      state.page = Math.min(state.page, pages - 1);
      var start = state.page * PAGE;
      var end = Math.min(shown.length, start + PAGE);
      var fragment = document.createDocumentFragment();
      for (var i = start; i < end; i++) {
        var tr = document.createElement("tr");
        for (var c = 0; c < data.columns.length; c++) {
          var td = document.createElement("td");
          td.className = data.columns[c].class;
          td.textContent = cellText(shown[i], c);
          if (c === 0) {
            td.setAttribute("data-case", shown[i].cells[0]);
          }
          tr.appendChild(td);
        }
        fragment.appendChild(tr);
      }
      tbody.replaceChildren(fragment);
      whyLinks(tbody);
      status.textContent = shown.length === rows.length
        ? "Showing " + (shown.length ? start + 1 : 0) + "–" + end + " of " + rows.length + " moves."
        : "Showing " + (shown.length ? start + 1 : 0) + "–" + end + " of the " + shown.length +
          " moves that match (of " + rows.length + ").";
      pageLabel.textContent = "Page " + (state.page + 1) + " of " + pages;
      prev.disabled = state.page === 0;
      next.disabled = state.page >= pages - 1;
      byId("moves-pager").hidden = pages < 2;
    }

    var headers = table.tHead.rows[0].cells;
    Array.prototype.forEach.call(headers, function (th, column) {
      var button = th.querySelector("button");
      if (!button) {
        return;
      }
      button.addEventListener("click", function () {
        if (state.key === column) {
          state.descending = !state.descending;
        } else {
          state.key = column;
          state.descending = false;
        }
        Array.prototype.forEach.call(headers, function (other) {
          other.setAttribute("aria-sort", "none");
        });
        th.setAttribute("aria-sort", state.descending ? "descending" : "ascending");
        state.page = 0;
        render();
      });
    });
    [worker, skill, kind].forEach(function (control) {
      control.addEventListener("change", function () {
        state.page = 0;
        render();
      });
    });
    prev.addEventListener("click", function () {
      state.page -= 1;
      render();
    });
    next.addEventListener("click", function () {
      state.page += 1;
      render();
    });
    byId("moves-controls").hidden = false;
    render();
  }

  // Each element marked data-case holds a case id: where the page can ask why, its text becomes
  // a link to where that case goes and why not each other worker, opened in the whole window.
  function whyLinks(root) {
    var base = document.documentElement.getAttribute("data-why");
    if (!base) {
      return;
    }
    Array.prototype.forEach.call(root.querySelectorAll("[data-case]"), function (element) {
      if (element.querySelector("a")) {
        return;
      }
      var link = document.createElement("a");
      link.href = base + "?case=" + encodeURIComponent(element.getAttribute("data-case"));
      link.target = "_top";
      link.textContent = element.textContent;
      element.replaceChildren(link);
    });
  }

  function printHandouts() {
    var button = byId("print-handouts");
    if (!button) {
      return;
    }
    button.hidden = false;
    button.addEventListener("click", function () {
      document.body.classList.add("handouts-only");
      window.print();
    });
    window.addEventListener("afterprint", function () {
      document.body.classList.remove("handouts-only");
    });
  }

  whyLinks(document);
  movesTable();
  printHandouts();
  if (window.performance && performance.mark) {
    performance.mark("report-ready");
  }
  document.documentElement.setAttribute("data-ready", "true");
})();
