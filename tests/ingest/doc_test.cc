// Documentation: the Markdown / reStructuredText splitter, docstring mentions, and Doc /
// DocSection / DOCUMENTS facts written by IngestPath into a real store.

#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "ingest/docs/doc_parser.h"
#include "ingest/ingest.h"
#include "storage/graph_store.h"
#include "tests/ingest/test_util.h"

namespace kg::ingest {
namespace {

using docs::DocFacts;
using docs::DocFormat;
using docs::DocMention;
using docs::ParseDoc;
using testing::TempDir;

// "name/via@line" of each mention.
std::vector<std::string> Names(const std::vector<DocMention>& mentions) {
  std::vector<std::string> out;
  for (const DocMention& m : mentions) {
    out.push_back(m.name + "/" + m.via + "@" + std::to_string(m.line));
  }
  return out;
}

// "level:title[start-end]^parent" of each section.
std::vector<std::string> Outline(const DocFacts& doc) {
  std::vector<std::string> out;
  for (const docs::DocSection& s : doc.sections) {
    out.push_back(std::to_string(s.level) + ":" + s.title + "[" + std::to_string(s.start_line) +
                  "-" + std::to_string(s.end_line) + "]^" + std::to_string(s.parent));
  }
  return out;
}

const char kReadme[] = R"(---
title: front matter is not a section
---
Requests is an elegant and simple HTTP library for Python.

# Requests

```python
>>> import requests
>>> r = requests.get('https://httpbin.org/basic-auth/user/pass', auth=('user', 'pass'))
# this comment is not a heading
>>> r.status_code
200
```

Installing
----------

Use `pip install requests`, then call `requests.get()` or see
[Session objects](https://docs.python-requests.org/en/latest/api/#requests.Session).

## Advanced ##

~~~
## not a heading inside a tilde fence
session.mount(prefix, adapter)
~~~

    # an indented code block is not a heading either
    requests.adapters.HTTPAdapter(max_retries=3)

<!--
# hidden heading in a comment
-->
### Auth `HTTPBasicAuth`
Text with `len` and `self.x` and `None` (never mentions).
)";

TEST(DocParserTest, MarkdownSectionsIgnoreFencesCommentsAndFrontMatter) {
  DocFacts doc = ParseDoc(kReadme, DocFormat::kMarkdown);
  EXPECT_EQ(doc.title, "Requests");
  EXPECT_EQ(Outline(doc),
            (std::vector<std::string>{"0:[1-5]^-1", "1:Requests[6-15]^-1", "2:Installing[16-21]^1",
                                      "2:Advanced[22-34]^1", "3:Auth `HTTPBasicAuth`[35-36]^3"}));
  ASSERT_EQ(doc.sections.size(), 5u);
  EXPECT_EQ(doc.sections[0].text, "Requests is an elegant and simple HTTP library for Python.");
  EXPECT_EQ(doc.sections[2].text.substr(0, 8), "Use `pip");
  EXPECT_EQ(doc.sections[4].text, "Text with `len` and `self.x` and `None` (never mentions).");
  // Byte ranges cover the section's lines.
  const docs::DocSection& install = doc.sections[2];
  EXPECT_EQ(std::string_view(kReadme).substr(install.start_byte, 10), "Installing");

  EXPECT_EQ(Names(doc.sections[1].mentions),
            (std::vector<std::string>{"requests/code_block@9", "requests.get/code_block@10",
                                      "r.status_code/code_block@12"}));
  EXPECT_EQ(Names(doc.sections[2].mentions),
            (std::vector<std::string>{"requests.get/code_span@19", "requests.Session/link@20"}));
  EXPECT_EQ(Names(doc.sections[3].mentions),
            (std::vector<std::string>{"session.mount/code_block@26",
                                      "requests.adapters.HTTPAdapter/code_block@30"}));
  EXPECT_EQ(Names(doc.sections[4].mentions),
            (std::vector<std::string>{"HTTPBasicAuth/code_span@35"}));
}

TEST(DocParserTest, MarkdownUnclosedFenceRunsToTheEnd) {
  DocFacts doc = ParseDoc("# A\n```\n# B\n", DocFormat::kMarkdown);
  EXPECT_EQ(Outline(doc), std::vector<std::string>{"1:A[1-3]^-1"});
  // A setext underline needs a paragraph line right above it; a thematic break is not one.
  doc = ParseDoc("Intro\n\n---\n\nTitle\n=====\n- item\n---\n", DocFormat::kMarkdown);
  EXPECT_EQ(Outline(doc), (std::vector<std::string>{"0:[1-4]^-1", "1:Title[5-8]^-1"}));
  EXPECT_TRUE(ParseDoc("", DocFormat::kMarkdown).sections.empty());
}

const char kApiRst[] = R"(.. _api:

=============
Developer API
=============

.. module:: flask

This part of the documentation covers all the interfaces of Flask.

Application Object
------------------

.. autoclass:: Flask
   :members:

Use :class:`~flask.Flask` or :meth:`the route decorator <flask.Flask.route>`; see
:ref:`routing` and `the docs <https://flask.palletsprojects.com>`_. ``app.run()`` starts it.

Example::

    app = Flask(__name__)
    Title
    =====

.. code-block:: python
   :linenos:

   from flask import Blueprint, url_for

Incoming Request Data
---------------------

>>> from flask import request
>>> request.args.get('q')

Sub Topic
~~~~~~~~~

Plain `g` and :func:`flask.url_for`.
)";

TEST(DocParserTest, RstTitlesLiteralBlocksAndRoles) {
  DocFacts doc = ParseDoc(kApiRst, DocFormat::kRst);
  EXPECT_EQ(doc.title, "Developer API");
  EXPECT_EQ(Outline(doc),
            (std::vector<std::string>{"0:[1-2]^-1", "1:Developer API[3-10]^-1",
                                      "2:Application Object[11-30]^1",
                                      "2:Incoming Request Data[31-36]^1", "3:Sub Topic[37-40]^3"}));
  ASSERT_EQ(doc.sections.size(), 5u);
  EXPECT_EQ(Names(doc.sections[1].mentions), std::vector<std::string>{"flask/link@7"});
  EXPECT_EQ(Names(doc.sections[2].mentions),
            (std::vector<std::string>{
                "Flask/link@14", "flask.Flask/link@17", "flask.Flask.route/link@17",
                "app.run/code_span@18", "Flask/code_block@22", "flask/code_block@29",
                "flask.Blueprint/code_block@29", "flask.url_for/code_block@29"}));
  EXPECT_EQ(Names(doc.sections[3].mentions),
            (std::vector<std::string>{"flask/code_block@34", "flask.request/code_block@34",
                                      "request.args.get/code_block@35"}));
  EXPECT_EQ(Names(doc.sections[4].mentions),
            (std::vector<std::string>{"g/code_span@40", "flask.url_for/link@40"}));
}

TEST(DocParserTest, DocstringMentions) {
  std::string docstring =
      "Sends a request. Returns a :class:`Response <Response>` object.\n"
      "\n"
      "Uses ``Session.send`` and `adapters.HTTPAdapter`; see :ref:`x`.\n"
      "\n"
      "Usage::\n"
      "\n"
      "  >>> import requests\n"
      "  >>> req = requests.request('GET', 'https://httpbin.org/get')\n";
  EXPECT_EQ(Names(docs::DocstringMentions(docstring, 10)),
            (std::vector<std::string>{"Response/link@10", "Session.send/code_span@12",
                                      "adapters.HTTPAdapter/code_span@12", "requests/code_block@16",
                                      "requests.request/code_block@17"}));
}

// ---- End to end ----

class DocIngestTest : public ::testing::Test {
 protected:
  void SetUp() override {
    storage::Options options;
    options.sync_writes = false;
    options.block_cache_bytes = 8u << 20;
    store_ = std::move(storage::GraphStore::Open((db_.path() / "db").string(), options)).value();
    src_.Write("mylib/__init__.py", "from .sessions import Session\nfrom .api import get\n");
    src_.Write("mylib/sessions.py",
               "class Session:\n"
               "    \"\"\"A session. Use :meth:`Session.send` or ``mylib.get``.\"\"\"\n"
               "    def send(self, request):\n"
               "        \"\"\"Sends `request` through :class:`Session` (see `Adapter`).\"\"\"\n"
               "\n"
               "class Adapter:\n"
               "    pass\n");
    src_.Write("mylib/api.py",
               "from .sessions import Session\n\n"
               "def get(url):\n"
               "    \"\"\"Makes a :class:`Session` and calls `Session.send`.\"\"\"\n"
               "    return Session().send(url)\n");
    src_.Write("README.md",
               "# mylib\n\nCall `mylib.get()`, or make a [Session](api.html#mylib.Session).\n\n"
               "## Sending\n\n```python\nfrom mylib import Session\nSession().send(x)\n```\n"
               "`Unknown.thing` and `send` resolve nowhere or uniquely.\n");
    src_.Write("docs/api.rst",
               "API\n===\n\n.. autoclass:: mylib.sessions.Session\n\n"
               "Also :func:`~mylib.api.get` and ``Adapter``.\n");
  }

  IngestReport Ingest() {
    auto r = IngestPath(*store_, "g", src_.path().string());
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? *r : IngestReport{};
  }

  std::optional<storage::NodeRecord> Node(const std::string& id) {
    auto snap = std::move(store_->GetSnapshot("g")).value();
    auto key = snap->FindNode(id);
    if (!key.ok() || !*key) return std::nullopt;
    return *snap->GetNode(**key);
  }

  // "TYPE -> dst via=.. confidence=.." of the out-edges of `id` of `type`, sorted by target.
  std::map<std::string, std::string> Out(const std::string& id, const std::string& type) {
    auto snap = std::move(store_->GetSnapshot("g")).value();
    std::map<std::string, std::string> out;
    auto key = snap->FindNode(id);
    if (!key.ok() || !*key) return {{"<no node>", id}};
    auto cursor = snap->Expand(**key, storage::Direction::kOut, *store_->EdgeTypeIdFor(type));
    storage::EdgeRecord e;
    while (cursor->Next(&e)) {
      auto dst = *snap->GetNode(e.dst);
      std::string props;
      if (auto via = e.props.find("via"); via != e.props.end()) props += via->second.as_string();
      if (auto c = e.props.find("confidence"); c != e.props.end()) {
        char buf[16];
        std::snprintf(buf, sizeof(buf), " %.1f", c->second.as_double());
        props += buf;
      }
      out[dst->id] = props;
    }
    return out;
  }

  TempDir db_, src_;
  std::unique_ptr<storage::GraphStore> store_;
};

TEST_F(DocIngestTest, DocsSectionsAndDocumentsEdges) {
  IngestReport r = Ingest();
  EXPECT_EQ(r.files_parsed, 3u);
  EXPECT_EQ(r.docs_seen, 2u);
  EXPECT_EQ(r.docs_parsed, 2u);

  auto doc = Node("doc:README.md");
  ASSERT_TRUE(doc);
  EXPECT_EQ(doc->props.at("title"), Value("mylib"));
  EXPECT_EQ(Out("README.md", "CONTAINS"),
            (std::map<std::string, std::string>{{"doc:README.md", ""}}));
  EXPECT_EQ(Out("doc:README.md", "CONTAINS"),
            (std::map<std::string, std::string>{{"README.md#mylib", ""}}));
  EXPECT_EQ(Out("README.md#mylib", "CONTAINS"),
            (std::map<std::string, std::string>{{"README.md#sending", ""}}));
  auto sending = Node("README.md#sending");
  ASSERT_TRUE(sending);
  EXPECT_EQ(sending->props.at("level"), Value(int64_t{2}));
  EXPECT_EQ(sending->props.at("start_line"), Value(int64_t{5}));
  EXPECT_EQ(sending->props.at("end_line"), Value(int64_t{11}));

  // `mylib.get()` resolves through the package's re-export; the link fragment too.
  EXPECT_EQ(Out("README.md#mylib", "DOCUMENTS"),
            (std::map<std::string, std::string>{{"mylib/api.py:get", "code_span 0.9"},
                                                {"mylib/sessions.py:Session", "link 1.0"}}));
  // Code block names; `send` alone is the unique Session.send (suffix, single name).
  EXPECT_EQ(
      Out("README.md#sending", "DOCUMENTS"),
      (std::map<std::string, std::string>{{"module:mylib", "code_block 0.8"},
                                          {"mylib/sessions.py:Session", "code_block 0.8"},
                                          {"mylib/sessions.py:Session.send", "code_span 0.6"}}));
  EXPECT_EQ(Out("docs/api.rst#api", "DOCUMENTS"),
            (std::map<std::string, std::string>{{"mylib/api.py:get", "link 1.0"},
                                                {"mylib/sessions.py:Adapter", "code_span 0.6"},
                                                {"mylib/sessions.py:Session", "link 1.0"}}));
  // Docstrings: resolved in the file's scope first; self-references dropped.
  EXPECT_EQ(
      Out("mylib/sessions.py:Session", "DOCUMENTS"),
      (std::map<std::string, std::string>{{"mylib/api.py:get", "docstring 0.9"},
                                          {"mylib/sessions.py:Session.send", "docstring 1.0"}}));
  EXPECT_EQ(Out("mylib/sessions.py:Session.send", "DOCUMENTS"),
            (std::map<std::string, std::string>{{"mylib/sessions.py:Adapter", "docstring 0.9"},
                                                {"mylib/sessions.py:Session", "docstring 1.0"}}));
  EXPECT_EQ(
      Out("mylib/api.py:get", "DOCUMENTS"),
      (std::map<std::string, std::string>{{"mylib/sessions.py:Session", "docstring 1.0"},
                                          {"mylib/sessions.py:Session.send", "docstring 0.9"}}));
}

TEST_F(DocIngestTest, BadDocsAreSkippedWithAReason) {
  src_.Write("docs/latin1.rst", "Caf\xe9\n====\n");
  src_.Write("docs/blob.md", std::string("PK\x03\x04\0\0", 6));
  IngestReport r = Ingest();
  std::map<std::string, std::string> skipped;
  for (const FileIssue& i : r.skipped) skipped[i.path] = i.reason;
  EXPECT_EQ(skipped, (std::map<std::string, std::string>{
                         {"docs/blob.md", "binary file"},
                         {"docs/latin1.rst", "invalid UTF-8 at byte 3 (line 1, column 4)"}}));
  EXPECT_EQ(r.docs_seen, 4u);
  EXPECT_EQ(r.docs_parsed, 2u);
  EXPECT_FALSE(Node("doc:docs/blob.md"));
}

TEST_F(DocIngestTest, DocsAreRelinkedWhenDefinitionsChange) {
  Ingest();
  // A body-only change does not touch the docs.
  src_.Write("mylib/api.py",
             "from .sessions import Session\n\n"
             "def get(url):\n"
             "    \"\"\"Makes a :class:`Session` and calls `Session.send`.\"\"\"\n"
             "    return Session().send(url, timeout=3)\n");
  IngestReport r = Ingest();
  EXPECT_EQ(r.files_parsed, 1u);
  EXPECT_EQ(r.docs_parsed, 0u);
  EXPECT_EQ(r.docs_unchanged, 2u);

  // Renaming Session.send to Session.dispatch re-links the docs: `send` no longer resolves.
  src_.Write("mylib/sessions.py",
             "class Session:\n"
             "    def dispatch(self, request):\n"
             "        pass\n"
             "\n"
             "class Adapter:\n"
             "    pass\n");
  r = Ingest();
  EXPECT_EQ(r.docs_parsed, 2u);
  EXPECT_EQ(Out("README.md#sending", "DOCUMENTS"),
            (std::map<std::string, std::string>{{"module:mylib", "code_block 0.8"},
                                                {"mylib/sessions.py:Session", "code_block 0.8"}}));

  // A deleted doc leaves the graph.
  std::filesystem::remove(src_.path() / "docs/api.rst");
  r = Ingest();
  EXPECT_EQ(r.docs_deleted, 1u);
  EXPECT_FALSE(Node("doc:docs/api.rst"));
  EXPECT_FALSE(Node("docs/api.rst#api"));
}

}  // namespace
}  // namespace kg::ingest
