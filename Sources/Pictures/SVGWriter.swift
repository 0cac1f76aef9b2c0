import Foundation

/// A value of an SVG attribute: text as it is, numbers in the writer's one format.
public protocol SVGValue {
    var svgText: String { get }
}

extension String: SVGValue {
    public var svgText: String { self }
}

extension Int: SVGValue {
    public var svgText: String { String(self) }
}

extension Double: SVGValue {
    public var svgText: String { SVGWriter.number(self) }
}

/// The one writer behind every picture: elements with their attributes in order, numbers
/// formatted one way, and every text and attribute value escaped, so a title or a part name
/// with `<`, `&` or quotes (a file name, a track name from someone's DAW) cannot break the XML.
public struct SVGWriter {
    public let width: Double
    public let height: Double
    private var out = ""
    private var open: [String] = []

    /// Starts a picture of the given size (also its viewBox) on a white background, with
    /// `title` as the document's title (shown by browsers as the tab name and tooltip).
    public init(width: Double, height: Double, title: String, fontSize: Double, attributes: KeyValuePairs<String, any SVGValue> = [:]) {
        self.width = width
        self.height = height
        out.reserveCapacity(4096)
        out += "<svg xmlns=\"http://www.w3.org/2000/svg\""
        appendAttributes(["width": width, "height": height, "viewBox": "0 0 \(Self.number(width)) \(Self.number(height))",
                          "font-family": "sans-serif", "font-size": fontSize])
        appendAttributes(attributes)
        out += ">\n"
        element("title", text: title)
        element("rect", ["width": "100%", "height": "100%", "fill": "white"])
    }

    /// An element: `<name a="v"/>`, or with `text`, `<name a="v">text</name>`.
    public mutating func element(_ name: String, _ attributes: KeyValuePairs<String, any SVGValue> = [:], text: String? = nil) {
        out += "<" + name
        appendAttributes(attributes)
        if let text {
            out += ">" + Self.escape(text) + "</" + name + ">\n"
        } else {
            out += "/>\n"
        }
    }

    /// Opens an element whose children follow (close it with `close()`).
    public mutating func open(_ name: String, _ attributes: KeyValuePairs<String, any SVGValue> = [:]) {
        out += "<" + name
        appendAttributes(attributes)
        out += ">"
        open.append(name)
    }

    public mutating func close() {
        precondition(!open.isEmpty, "SVGWriter: close() without an open element")
        out += "</" + open.removeLast() + ">\n"
    }

    /// The finished document.
    public func finished() -> String {
        precondition(open.isEmpty, "SVGWriter: <\(open.last ?? "")> left open")
        return out + "</svg>\n"
    }

    private mutating func appendAttributes(_ attributes: KeyValuePairs<String, any SVGValue>) {
        for (name, value) in attributes {
            out += " " + name + "=\"" + Self.escape(value.svgText) + "\""
        }
    }

    /// Coordinates and sizes: one decimal, halves away from zero, never "-0.0"; a value that is not finite (a diverged loss) as 0,
    /// since "nan" is no SVG number.
    public static func number(_ v: Double) -> String {
        guard v.isFinite else { return "0.0" }
        let tenths = (v * 10).rounded() / 10
        return String(format: "%.1f", tenths == 0 ? 0 : tenths)
    }

    /// Text for XML, in element content and in attribute values alike: the five markup
    /// characters as entities, and characters XML 1.0 cannot hold at all (control characters
    /// other than tab and newlines) as U+FFFD.
    public static func escape(_ text: String) -> String {
        var s = ""
        s.unicodeScalars.reserveCapacity(text.unicodeScalars.count)
        for c in text.unicodeScalars {
            switch c {
            case "&": s += "&amp;"
            case "<": s += "&lt;"
            case ">": s += "&gt;"
            case "\"": s += "&quot;"
            case "'": s += "&apos;"
            case "\t", "\n", "\r": s.unicodeScalars.append(c)
            default:
                let v = c.value
                if v < 0x20 || v == 0xFFFE || v == 0xFFFF { s += "\u{FFFD}" } else { s.unicodeScalars.append(c) }
            }
        }
        return s
    }

    /// About how wide a text is drawn in a sans-serif face, for layouts that must fit it (an
    /// average glyph is a little over half the font size; this errs wide).
    public static func textWidth(_ text: String, fontSize: Double) -> Double {
        Double(text.count) * fontSize * 0.62
    }
}
