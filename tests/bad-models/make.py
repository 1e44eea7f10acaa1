#!/usr/bin/env python3
"""Writes the hostile-input corpus of tests/bad-models/ (run from anywhere).

Each case is a whole-model file `NAME.ron` or a model folder `NAME/`; its
expected `revarch check` output is the golden tests/golden/bad-models/NAME.txt
(tests/bad_models.rs; `REVARCH_BLESS=1 cargo test --test bad_models` to
accept, then review the diff). Hand-written cases are plain files in this
folder; this script makes the generated ones (large, binary, repetitive) so
they can be remade and reviewed. Deterministic: no randomness without a seed.
"""
import os
import random

HERE = os.path.dirname(os.path.abspath(__file__))


def write(name, data):
    path = os.path.join(HERE, name)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    mode = "wb" if isinstance(data, bytes) else "w"
    with open(path, mode, **({} if mode == "wb" else {"encoding": "utf-8", "newline": ""})) as f:
        f.write(data)


def model(systems="", integrations="", entities="", performers='(id: "ops", name: "Ops")',
          activities="", av_name="Bad models", standards=""):
    return f"""(
    av: (name: "{av_name}", plan_period: "FY2027"),
    ov: (performers: [{performers}], activities: [{activities}]),
    sv: (systems: [{systems}], integrations: [{integrations}]),
    stdv: (standards: [{standards}]),
    div: (entities: [{entities}]),
)
"""


rng = random.Random(11)

# Binary garbage (not UTF-8) and a valid model with one invalid byte.
write("binary.ron", bytes(rng.randrange(256) for _ in range(4096)))
valid = model(systems='(id: "crm", name: "CRM", kind: crm)').encode()
at = valid.index(b"CRM")
write("invalid-utf8.ron", valid[:at] + b"\xff\xfe" + valid[at + 2:])

# 10,000-deep nesting.
write("deep-nesting.ron", "[" * 10_000 + "]" * 10_000 + "\n")

# A 100,000-character id.
write("long-id.ron", model(systems='(id: "' + "a" * 100_000 + '", name: "Long", kind: crm)'))

# Thousands of duplicate ids on one (minified) line.
dups = ",".join(f'(id: "dup", name: "S{i}", kind: crm)' for i in range(3_000))
write("duplicate-ids-one-line.ron", model(systems=dups).replace("\n", " ") + "\n")

# A minified model: everything on one line, several errors in it.
mini = model(
    systems='(id: "crm", name: "CRM", kind: crn), (id: "erp", name: "ERP", kind: erp, owner: "nobody")',
    integrations='(id: "i", name: "I", source: "crm", target: "erpp", mechanism: api, frequency: daily, carries: ["lead"])',
    entities='(id: "lead", name: "Lead", owner: "ops", clasification: pii)',
)
write("minified.ron", " ".join(line.strip() for line in mini.splitlines()) + "\n")

# Hundreds of references to ids that do not exist (capped, with a count).
acts = ",\n        ".join(
    f'(id: "a{i}", name: "A{i}", performer: "ops", stage: close, systems: ["missing-{i}"])'
    for i in range(400))
write("many-unknown-references.ron", model(activities=acts))

# A BOM and CRLF line endings, with one error to locate.
crlf = "\ufeff" + model(systems='(id: "crm", name: "CRM", kind: crm, ownr: "ops")').replace("\n", "\r\n")
write("bom-crlf.ron", crlf)

# Tabs before the error (columns count characters).
write("tabs.ron", model(systems='\t\t(id: "crm",\tname: "CRM",\tkind:\tcrn)'))

# NUL and other control characters inside strings.
write("control-characters.ron", model(
    systems='(id: "crm", name: "CRM\\u{0}\\u{1b}[2J\\u{1b}]0;title\\u{7}\\r\\n  --> forged.ron:1:1", kind: crm, owner: "ops")',
    av_name="Bad\\u{1b}[31m models\\u{202e}"))

# The same characters as raw bytes in the file (in a string and a comment),
# and an error on their line.
write("raw-control-bytes.ron", model(
    systems='(id: "crm", name: "CRM\x00\x1b[2J\x1b]0;title\x07\r  --> forged.ron:1:1", kind: crn) /* \x1b[31mred\x9b */',
))

# Every text field carrying payloads of one output format, on a real model
# (examples/single-file.ron) so findings, diagrams and report pages show them.
base = open(os.path.join(HERE, "../../examples/single-file.ron"), encoding="utf-8").read()
base = "\n".join(l for l in base.splitlines() if not l.startswith("// expect"))
PAYLOADS = {
    "html": ['<script>alert(1)</script>', '</svg><img src=x onerror=alert(2)>',
             '" onmouseover="alert(3)', "'&amp;<!--", '<a href="javascript:alert(4)">x</a>'],
    "markdown": ['`code` ``two`` ```three', '| a | b |', '[click](javascript:alert(1))',
                 '@everyone #1 **bold** <details>', '![x](http://example.invalid/t.png)'],
    "dot-mermaid": ['a" -> "b', '}; digraph x {', 'end]; click A call alert(1)', '%%{init: {}}%%',
                    'A-->B:::c\\n(("x"))'],
    "csv": ['=HYPERLINK("http://example.invalid","x")', '+cmd|\' /C calc\'!A0', '-1+1', '@SUM(A1)',
            '\\t=1+1'],
}
for kind, payloads in PAYLOADS.items():
    text = base
    names = ["Pipedrive", "Mailchimp", "BigQuery", "Lead", "Kestrel Studio revenue architecture"]
    for name, payload in zip(names, payloads):
        escaped = payload.replace("\\", "\\\\").replace('"', '\\"')
        text = text.replace(f'name: "{name}"', f'name: "{escaped}"')
        text = text.replace('description: "A newsletter or contact-form sign-up."',
                            f'description: "{escaped}"')
        text = text.replace('"Turn more leads into deals"', f'"{escaped}"')
    write(f"payload-{kind}.ron", text + "\n")
print("written to", HERE)
