"""Reads SVG files with Python's own XML parser and prints, as JSON, what the picture tests
look at: the root element, the size, the document title, every text, the legend's boxes and texts, the
notes' parts and colours, the chord names and the header line. Exits 1 on a file that is not
well-formed XML, naming it and the parser's message."""
import json
import sys
import xml.etree.ElementTree as ET


def local(tag):
    return tag.rsplit("}", 1)[-1]


def number(value):
    return float(value) if value is not None else None


out = []
for path in sys.argv[1:]:
    try:
        root = ET.parse(path).getroot()
    except ET.ParseError as error:
        print(f"{path}: not well-formed XML: {error}", file=sys.stderr)
        sys.exit(1)
    info = {"root": local(root.tag), "width": number(root.get("width")), "height": number(root.get("height")),
            "title": None, "texts": [], "legend": [], "legendTexts": [], "notes": [], "chords": [], "bars": [], "header": None}
    for child in root:
        if local(child.tag) == "title":
            info["title"] = child.text
            break
    for element in root.iter():
        tag, cls = local(element.tag), element.get("class")
        if tag == "text":
            info["texts"].append(element.text or "")
            if cls == "chord":
                info["chords"].append(element.text)
            if cls == "bar":
                info["bars"].append(element.text)
            if cls == "header":
                info["header"] = element.text
        if cls == "legend":
            if tag == "rect":
                box = {k: number(element.get(k)) for k in ("x", "y", "width", "height")}
            elif tag == "line":
                x1, x2 = number(element.get("x1")), number(element.get("x2"))
                y1, y2 = number(element.get("y1")), number(element.get("y2"))
                box = {"x": min(x1, x2), "y": min(y1, y2), "width": abs(x2 - x1), "height": abs(y2 - y1)}
            elif tag == "text":
                info["legendTexts"].append({"x": number(element.get("x")), "text": element.text or ""})
                continue
            else:
                continue
            info["legend"].append(box)
        if tag == "rect" and cls == "note":
            info["notes"].append({"part": element.get("data-part"), "fill": element.get("fill"),
                                  "pitch": int(element.get("data-pitch", "-1"))})
    out.append(info)
print(json.dumps(out))
