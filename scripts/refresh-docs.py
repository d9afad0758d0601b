#!/usr/bin/env python3
"""Rewrites a doc's tested blocks from their sources, for writing docs (the
dry.docs checks then pass): every ```cpp block after `<!-- snippet: name -->`
from the `// [name]` region of the given source files, and, with --sql BINARY,
every ```sql block after `<!-- sql: name -->` from what `BINARY "[.docs-sql]"`
(the orm_docs_tests program) prints.

  scripts/refresh-docs.py docs/relationships.md tests/support/relationship_models.hpp \\
      tests/docs/relationships_snippets.cpp --sql build/tests/orm_docs_tests
"""
import re
import subprocess
import sys


def regions_of(paths):
    regions = {}
    for path in paths:
        name, body = None, []
        for line in open(path).read().split('\n'):
            start = re.match(r'\s*// \[([a-z0-9-]+)\]\s*$', line)
            end = re.match(r'\s*// \[/([a-z0-9-]+)\]\s*$', line)
            if end and name == end.group(1):
                indent = min((len(x) - len(x.lstrip()) for x in body if x.strip()), default=0)
                regions[name] = '\n'.join(x[indent:] for x in body)
                name, body = None, []
            elif start and name is None:
                name, body = start.group(1), []
            elif name:
                body.append(line)
    return regions


def sql_examples(binary):
    out = subprocess.run([binary, '[.docs-sql]'], check=True, capture_output=True, text=True).stdout
    return {m.group(1): m.group(2) for m in re.finditer(r'<!-- sql: ([a-z0-9-]+) -->\n```sql\n(.*?)\n```', out, flags=re.S)}


def main(argv):
    args = argv[1:]
    binary = None
    if '--sql' in args:
        at = args.index('--sql')
        binary = args[at + 1]
        del args[at:at + 2]
    doc, sources = args[0], args[1:]
    text = open(doc).read()
    regions = regions_of(sources)
    def snippet(m):
        name = m.group(1)
        return f"<!-- snippet: {name} -->\n```cpp\n{regions[name]}\n```" if name in regions else m.group(0)
    text = re.sub(r'<!-- snippet: ([a-z0-9-]+) -->\n```cpp\n.*?```', snippet, text, flags=re.S)
    if binary:
        examples = sql_examples(binary)
        def sql(m):
            name = m.group(1)
            return f"<!-- sql: {name} -->\n```sql\n{examples[name]}\n```" if name in examples else m.group(0)
        text = re.sub(r'<!-- sql: ([a-z0-9-]+) -->\n```sql\n.*?```', sql, text, flags=re.S)
    open(doc, 'w').write(text)


if __name__ == '__main__':
    main(sys.argv)
