import Foundation

/// Where a browser put the text of a page's SVG plots: every `<text>` whose box is not inside its plot's box, and every
/// two texts of one plot that cover each other.
///
/// The boxes are Chromium's `getBoundingClientRect()` of each `<text>` (its glyph cells after transforms, so a rotated
/// axis title counts by its rotated extent) and of its outermost `<svg>`: the plot's box as the page declares it
/// (`width` × `height`, the viewBox drawn at one pixel per unit). Half a pixel of overhang and one pixel of overlap are
/// tolerated, below what a reader could see.
struct ReportLayoutCheck: Decodable {
    /// A text outside its plot.
    struct Outside: Decodable, CustomStringConvertible {
        let plot: String
        let element: String
        let text: String
        /// Per side, how far the text reaches past the plot's edge ("right 9.0 px").
        let overflow: String

        var description: String { "\(plot): \(element)\(text)</text> sticks out \(overflow)" }
    }

    /// Two texts of one plot on top of each other.
    struct Overlap: Decodable, CustomStringConvertible {
        let plot: String
        let first: String
        let second: String
        /// Width × height of the shared area.
        let area: String

        var description: String { "\(plot): '\(first)' and '\(second)' overlap by \(area)" }
    }

    /// Outermost `<svg>` elements and `<text>` elements looked at.
    let plots: Int
    let texts: Int
    let outside: [Outside]
    let overlaps: [Overlap]

    /// Lays `html` out in headless Chromium and measures it.
    static func run(_ html: String) throws -> ReportLayoutCheck {
        try JSONDecoder().decode(Self.self, from: Data(try Chromium.evaluate(script, in: html).utf8))
    }

    /// The measuring script; it writes its findings as JSON into the result element.
    static let script = #"""
        (function () {
          "use strict";
          var tolerance = 0.5;
          var result = { plots: 0, texts: 0, outside: [], overlaps: [] };
          function tag(element) {
            var attributes = Array.prototype.map.call(element.attributes, function (a) {
              return " " + a.name + "=\"" + a.value + "\"";
            });
            return "<text" + attributes.join("") + ">";
          }
          document.querySelectorAll("svg").forEach(function (svg, number) {
            if (svg.parentElement && svg.parentElement.closest("svg")) { return; }
            result.plots += 1;
            var section = svg.closest("section, article");
            var plot = (section ? "#" + section.id + " " : "") + "plot " + (number + 1) + " '"
              + (svg.getAttribute("aria-label") || "") + "'";
            var box = svg.getBoundingClientRect();
            var texts = Array.prototype.slice.call(svg.querySelectorAll("text"));
            var boxes = texts.map(function (text) { return text.getBoundingClientRect(); });
            texts.forEach(function (text, index) {
              result.texts += 1;
              var r = boxes[index];
              var past = { left: box.left - r.left, right: r.right - box.right, top: box.top - r.top,
                bottom: r.bottom - box.bottom };
              var sides = Object.keys(past).filter(function (side) { return past[side] > tolerance; });
              if (sides.length > 0) {
                result.outside.push({ plot: plot, element: tag(text), text: text.textContent,
                  overflow: sides.map(function (side) { return side + " " + past[side].toFixed(1) + " px"; })
                    .join(", ") });
              }
              for (var other = index + 1; other < texts.length; other++) {
                var q = boxes[other];
                var width = Math.min(r.right, q.right) - Math.max(r.left, q.left);
                var height = Math.min(r.bottom, q.bottom) - Math.max(r.top, q.top);
                if (width > 1 && height > 1) {
                  result.overlaps.push({ plot: plot, first: text.textContent, second: texts[other].textContent,
                    area: width.toFixed(1) + " \u00d7 " + height.toFixed(1) + " px" });
                }
              }
            });
          });
          var pre = document.createElement("pre");
          pre.id = "exoscope-test-result";
          pre.textContent = JSON.stringify(result);
          document.body.appendChild(pre);
        })();
        """#
}
