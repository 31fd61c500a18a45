#!/usr/bin/python3
"""md2man.py IN.md OUT.8: turns a man-style Markdown page of docs/man/ into a roff man page.

The pages use a small subset of Markdown, which this converter and
tests/interop/test-docs-options.sh both rely on:
  # NAME(SECTION)              the title (first line)
  ## HEADING                   a section (.SH); ### HEADING a subsection (.SS)
  * `--option=ARG`: text       a tagged paragraph (.TP); indented lines continue it
  ```...```                    a literal block (.nf/.fi)
  `code`, *emphasis*           bold and italic
  blank line                   a new paragraph
"""
import re
import sys


def escape(text):
    text = text.replace("\\", "\\e").replace("-", "\\-")
    return text


def inline(text):
    out = []
    for i, part in enumerate(re.split(r"(`[^`]*`)", text)):
        if i % 2:
            out.append("\\fB" + escape(part[1:-1]) + "\\fR")
        else:
            part = escape(part)
            part = re.sub(r"\*([^*\s][^*]*)\*", r"\\fI\1\\fR", part)
            out.append(part)
    line = "".join(out)
    if line.startswith((".", "'")):
        line = "\\&" + line
    return line


def convert(lines):
    out = []
    title = lines[0].strip()
    m = re.match(r"#\s+(\S+)\((\d)\)", title)
    if not m:
        raise SystemExit(f"md2man: first line must be '# NAME(SECTION)', not {title!r}")
    out.append(f'.TH "{m.group(1).upper()}" {m.group(2)} "" "ovnx" "ovnx Manual"')
    in_code = False
    for raw in lines[1:]:
        line = raw.rstrip("\n")
        if line.startswith("```"):
            out.append(".fi" if in_code else ".nf")
            in_code = not in_code
            continue
        if in_code:
            out.append(("\\&" if line.startswith((".", "'")) else "") + escape(line))
            continue
        if line.startswith("### "):
            out.append(".SS " + inline(line[4:].strip()))
        elif line.startswith("## "):
            out.append(".SH " + inline(line[3:].strip().upper()))
        elif line.startswith("* ") or line.startswith("- "):
            item = line[2:].strip()
            m = re.match(r"(`[^`]*`(?:,\s*`[^`]*`)*):?\s*(.*)", item)
            out.append(".TP")
            if m:
                out.append(inline(m.group(1)))
                if m.group(2):
                    out.append(inline(m.group(2)))
            else:
                out.append(inline(item))
        elif not line.strip():
            out.append(".PP")
        else:
            out.append(inline(line.strip()))
    # Collapse paragraph breaks that would only add blank space.
    cleaned = []
    for entry in out:
        if entry == ".PP" and cleaned and cleaned[-1] in (".PP", ".TP") or \
           entry == ".PP" and cleaned and cleaned[-1].startswith((".SH", ".SS", ".TH")):
            continue
        if entry.startswith((".TP", ".SH", ".SS")) and cleaned and cleaned[-1] == ".PP":
            cleaned.pop()
        cleaned.append(entry)
    return "\n".join(cleaned) + "\n"


def main():
    if len(sys.argv) != 3:
        raise SystemExit("usage: md2man.py IN.md OUT.8")
    with open(sys.argv[1], encoding="utf-8") as f:
        text = convert(f.readlines())
    with open(sys.argv[2], "w", encoding="utf-8") as f:
        f.write(text)


if __name__ == "__main__":
    main()
