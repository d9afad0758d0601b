// The docs cannot drift (issue #14): every code block of docs/*.md and
// README.md is checked against code the test build compiles.
//
// * A ```cpp block is preceded by the line `<!-- snippet: name -->`, and its
//   text is exactly that snippet: the lines between `// [name]` and
//   `// [/name]` in one of the snippet sources (tests/docs/<doc>_snippets.cpp,
//   and the few tested files a doc shows whole: samples/01_quickstart.cpp,
//   include/orm/error.hpp, tests/support/models.hpp), with their common
//   indentation removed. Names: lowercase letters, digits and '-'.
// * A ```sql block is SQL that orm generates. It is preceded by the line
//   `<!-- sql: name -->`, and its text is exactly what docs::sql_example
//   registered under that name (snippets.hpp): a line `-- SQLite`, that
//   dialect's statements one a line, then `-- MySQL` and its statements.
//   Anything else that looks like SQL (a session's logged statement sequence
//   with its parameters, hand-written raw SQL, the error class tree) is not in
//   a ```sql block but in a plain ``` fence, which is not checked.
// * Every snippet and every registered SQL example is shown by some doc.
//
// A failure names the file and line, and for a differing block the first line
// that differs. The paths come from CMake (ORM_DOCS_MARKDOWN, ORM_DOCS_SNIPPET_SOURCES).
#include <algorithm>
#include <cctype>
#include <fstream>
#include <iostream>
#include <map>
#include <set>
#include <sstream>

#include "snippets.hpp"

namespace {

std::vector<std::string> split(const std::string& joined, char separator) {
    std::vector<std::string> out;
    std::stringstream in(joined);
    for (std::string part; std::getline(in, part, separator);)
        if (!part.empty()) out.push_back(part);
    return out;
}

/// A path relative to the source tree, for messages.
std::string shown_path(const std::string& path) {
    const std::string root = ORM_SOURCE_DIR "/";
    return path.compare(0, root.size(), root) == 0 ? path.substr(root.size()) : path;
}

std::vector<std::string> read_lines(const std::string& path) {
    std::ifstream in(path);
    if (!in) throw std::runtime_error("cannot read " + path);
    std::vector<std::string> lines;
    for (std::string line; std::getline(in, line);) lines.push_back(line);
    return lines;
}

std::string trimmed(const std::string& s) {
    const auto b = s.find_first_not_of(" \t");
    if (b == std::string::npos) return {};
    const auto e = s.find_last_not_of(" \t\r");
    return s.substr(b, e - b + 1);
}

bool valid_name(const std::string& name) {
    return !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
    });
}

/// `// [name]` gives name, `// [/name]` gives "/name"; anything else "".
std::string region_marker(const std::string& line) {
    const std::string t = trimmed(line);
    if (t.size() < 6 || t.compare(0, 4, "// [") != 0 || t.back() != ']') return {};
    return t.substr(4, t.size() - 5);
}

struct snippet {
    std::string file;
    std::size_t line = 0;  // of the opening marker, 1-based
    std::vector<std::string> text;
};

/// Every region of the snippet sources; problems go to `problems`.
std::map<std::string, snippet> read_snippets(std::vector<std::string>& problems) {
    std::map<std::string, snippet> out;
    for (const std::string& file : split(ORM_DOCS_SNIPPET_SOURCES, '|')) {
        const auto lines = read_lines(file);
        const std::string where = shown_path(file);
        std::string open;  // the region being read
        snippet current;
        for (std::size_t i = 0; i < lines.size(); ++i) {
            const std::string marker = region_marker(lines[i]);
            const std::string at = where + ":" + std::to_string(i + 1) + ": ";
            if (marker.empty()) {
                if (!open.empty()) current.text.push_back(lines[i]);
                continue;
            }
            const bool closing = marker[0] == '/';
            const std::string name = closing ? marker.substr(1) : marker;
            if (!valid_name(name)) {
                problems.push_back(at + "snippet name '" + name + "' is not lowercase letters, digits and '-'");
            } else if (!closing) {
                if (!open.empty()) problems.push_back(at + "snippet '" + name + "' opens inside snippet '" + open + "'");
                open = name;
                current = {where, i + 1, {}};
            } else if (name != open) {
                problems.push_back(at + "[/" + name + "] closes " + (open.empty() ? "no open snippet" : "snippet '" + open + "'"));
            } else {
                // Remove the common indentation of the non-blank lines.
                std::size_t indent = std::string::npos;
                for (const std::string& l : current.text)
                    if (!trimmed(l).empty()) indent = std::min(indent, l.find_first_not_of(' '));
                for (std::string& l : current.text) l = trimmed(l).empty() ? std::string() : l.substr(indent);
                const auto [it, added] = out.emplace(name, current);
                if (!added) problems.push_back(at + "snippet '" + name + "' is defined twice (also " + it->second.file + ":" + std::to_string(it->second.line) + ")");
                open.clear();
            }
        }
        if (!open.empty()) problems.push_back(where + ":" + std::to_string(current.line) + ": snippet '" + open + "' is never closed");
    }
    return out;
}

/// A fenced block of a markdown file.
struct block {
    std::string file;
    std::size_t line = 0;           // of the opening fence, 1-based
    std::string language;           // "cpp", "sql", "" ...
    std::string marker_kind;        // "snippet", "sql" or "" (no marker line before it)
    std::string marker_name;
    std::vector<std::string> text;
};

/// `<!-- kind: name -->` gives {kind, name}.
std::optional<std::pair<std::string, std::string>> doc_marker(const std::string& line) {
    const std::string t = trimmed(line);
    if (t.compare(0, 5, "<!-- ") != 0 || t.size() < 9 || t.compare(t.size() - 4, 4, " -->") != 0) return std::nullopt;
    const std::string inner = t.substr(5, t.size() - 9);
    const auto colon = inner.find(": ");
    if (colon == std::string::npos) return std::nullopt;
    return std::pair{inner.substr(0, colon), inner.substr(colon + 2)};
}

std::vector<block> read_blocks(const std::string& file, std::vector<std::string>& problems) {
    const auto lines = read_lines(file);
    const std::string where = shown_path(file);
    std::vector<block> out;
    for (std::size_t i = 0; i < lines.size(); ++i) {
        const std::string at = where + ":" + std::to_string(i + 1) + ": ";
        if (const auto m = doc_marker(lines[i]); m && (m->first == "snippet" || m->first == "sql")) {
            const std::string want = m->first == "snippet" ? "```cpp" : "```sql";
            if (i + 1 >= lines.size() || lines[i + 1] != want)
                problems.push_back(at + "the marker <!-- " + m->first + ": " + m->second + " --> is not followed by a " + want + " line");
            continue;
        }
        const std::string t = trimmed(lines[i]);
        if (t.compare(0, 3, "```") != 0) continue;
        if (lines[i].compare(0, 3, "```") != 0) {
            problems.push_back(at + "an indented code fence: the checker reads fences at the start of a line only");
            continue;
        }
        block b{where, i + 1, t.substr(3), "", "", {}};
        if (i > 0)
            if (const auto m = doc_marker(lines[i - 1])) {
                b.marker_kind = m->first;
                b.marker_name = m->second;
            }
        std::size_t j = i + 1;
        while (j < lines.size() && lines[j].compare(0, 3, "```") != 0) b.text.push_back(lines[j++]);
        if (j == lines.size()) problems.push_back(at + "this code block is never closed");
        out.push_back(std::move(b));
        i = j;
    }
    return out;
}

/// "" if equal, else where the two first differ.
std::string first_difference(const std::vector<std::string>& doc, const std::vector<std::string>& expected) {
    for (std::size_t k = 0; k < std::max(doc.size(), expected.size()); ++k) {
        const bool in_doc = k < doc.size(), in_expected = k < expected.size();
        if (in_doc && in_expected && doc[k] == expected[k]) continue;
        return "line " + std::to_string(k + 1) + " of the block differs:\n      doc:      " + (in_doc ? doc[k] : "(the block ends)") +
               "\n      expected: " + (in_expected ? expected[k] : "(nothing more)");
    }
    return {};
}

struct docs_state {
    std::vector<std::string> problems;
    std::map<std::string, snippet> snippets;
    std::vector<block> blocks;
};

docs_state read_docs() {
    docs_state s;
    s.snippets = read_snippets(s.problems);
    for (const std::string& file : split(ORM_DOCS_MARKDOWN, '|')) {
        auto more = read_blocks(file, s.problems);
        s.blocks.insert(s.blocks.end(), more.begin(), more.end());
    }
    return s;
}

std::string report(const std::vector<std::string>& problems) {
    std::string text = std::to_string(problems.size()) + " problem(s):";
    for (const std::string& p : problems) text += "\n  " + p;
    return text;
}

std::vector<std::string> split_lines(const std::string& text) {
    std::vector<std::string> out;
    std::stringstream in(text);
    for (std::string line; std::getline(in, line);) out.push_back(line);
    return out;
}

}  // namespace

TEST_CASE("docs: every cpp block of the docs is a compiled snippet, verbatim", "[dry][docs]") {
    docs_state s = read_docs();
    std::size_t checked = 0;
    for (const block& b : s.blocks) {
        if (b.language != "cpp" && b.language != "c++") continue;
        const std::string at = b.file + ":" + std::to_string(b.line) + ": ";
        if (b.marker_kind != "snippet") {
            s.problems.push_back(at + "a ```cpp block without a <!-- snippet: name --> line before it");
            continue;
        }
        const auto found = s.snippets.find(b.marker_name);
        if (found == s.snippets.end()) {
            s.problems.push_back(at + "<!-- snippet: " + b.marker_name + " --> names no snippet (no // [" + b.marker_name + "] region in the snippet sources)");
            continue;
        }
        if (const std::string diff = first_difference(b.text, found->second.text); !diff.empty())
            s.problems.push_back(at + "the block differs from snippet '" + b.marker_name + "' (" + found->second.file + ":" +
                                 std::to_string(found->second.line) + "): " + diff);
        ++checked;
    }
    INFO(report(s.problems));
    CHECK(s.problems.empty());
    CHECK(checked > 0);
}

TEST_CASE("docs: every sql block of the docs is the SQL orm generates for it", "[dry][docs]") {
    docs_state s = read_docs();
    s.problems.clear();  // the snippet sources' problems are the cpp test's
    for (const std::string& name : docs::duplicate_sql_examples()) s.problems.push_back("the SQL example '" + name + "' is registered twice");
    for (const block& b : s.blocks) {
        if (b.language != "sql") continue;
        const std::string at = b.file + ":" + std::to_string(b.line) + ": ";
        if (b.marker_kind != "sql") {
            s.problems.push_back(at + "a ```sql block without a <!-- sql: name --> line before it (SQL orm does not generate goes in a plain ``` fence)");
            continue;
        }
        const auto expected = docs::rendered_sql(b.marker_name);
        if (!expected) {
            s.problems.push_back(at + "<!-- sql: " + b.marker_name + " --> names no registered docs::sql_example");
            continue;
        }
        if (const std::string diff = first_difference(b.text, split_lines(*expected)); !diff.empty())
            s.problems.push_back(at + "the block differs from the SQL of '" + b.marker_name + "': " + diff);
    }
    INFO(report(s.problems));
    CHECK(s.problems.empty());
}

TEST_CASE("docs: every snippet and every SQL example is shown in a doc", "[dry][docs]") {
    docs_state s = read_docs();
    s.problems.clear();
    std::set<std::string> shown_snippets, shown_sql;
    for (const block& b : s.blocks) (b.marker_kind == "snippet" ? shown_snippets : shown_sql).insert(b.marker_name);
    for (const auto& [name, sn] : s.snippets)
        if (!shown_snippets.count(name)) s.problems.push_back(sn.file + ":" + std::to_string(sn.line) + ": snippet '" + name + "' is in no doc");
    for (const std::string& name : docs::sql_example_names())
        if (!shown_sql.count(name)) s.problems.push_back("the SQL example '" + name + "' is in no doc");
    INFO(report(s.problems));
    CHECK(s.problems.empty());
}

// Not run by ctest: prints every registered SQL example as a doc's block shows it,
// for writing docs (`orm_docs_tests "[.docs-sql]"`).
TEST_CASE("docs: print the SQL examples", "[.docs-sql]") {
    for (const std::string& name : docs::sql_example_names()) std::cout << "<!-- sql: " << name << " -->\n```sql\n" << *docs::rendered_sql(name) << "```\n";
}
