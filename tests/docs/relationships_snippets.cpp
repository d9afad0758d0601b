// docs/relationships.md's code, run on SQLite.
#include <orm/testing.hpp>

#include "snippets.hpp"
#include "support/relationship_models.hpp"

using namespace rel;

namespace {

orm::engine library() {
    auto db = orm_test::fresh_engine<Writer, Novel, Review, Staff>();
    orm_test::seed(db, Writer{.id = 1, .name = "Ada"}, Writer{.id = 2, .name = "Bo"});
    orm_test::seed(db, Novel{.id = 10, .writer_id = 1, .title = "Engines"}, Novel{.id = 11, .writer_id = 1, .title = "Notes"},
                   Novel{.id = 12, .writer_id = 2, .title = "Tides"});
    orm_test::seed(db, Review{.id = 100, .novel_id = 10, .stars = 5});
    return db;
}

}  // namespace

TEST_CASE("docs.relationships: navigation loads lazily, 1 + N statements", "[sqlite][docs]") {
    orm::engine engine = library();
    // [navigate]
    orm::session s(engine);
    orm::testing::statement_recorder sql(engine);
    std::vector<std::string> lines;
    for (Writer* w : s.query<Writer>().order_by(orm::asc(&Writer::id))) {  // 1 SELECT (and BEGIN)
        for (Novel* n : w->novels)                                         // 1 SELECT per writer
            lines.push_back(w->name + ": " + n->title + " by " + n->writer->name);  // no SQL: known
    }
    // [/navigate]
    CHECK(lines == std::vector<std::string>{"Ada: Engines by Ada", "Ada: Notes by Ada", "Bo: Tides by Bo"});
    CHECK(sql.count() == 1 + 1 + 2);  // BEGIN, the writers, each writer's novels
}

TEST_CASE("docs.relationships: load::raise", "[sqlite][docs]") {
    orm::engine engine = library();
    orm::session s(engine);
    // [raise]
    Review* review = s.get<Review>(std::int64_t{100});
    std::string message;
    try {
        (void)review->novel->title;  // Review::novel is declared orm::load::raise
    } catch (const orm::not_loaded_error& e) {
        message = e.what();  // "orm: Review::novel is not loaded and its strategy is orm::load::raise"
    }
    // [/raise]
    CHECK(message == "orm: Review::novel is not loaded and its strategy is orm::load::raise");
}

TEST_CASE("docs.relationships: linking new objects, one flush", "[sqlite][docs]") {
    orm::engine engine = library();
    // [link]
    orm::session s(engine);
    Writer& cy = s.add(Writer{.name = "Cy"});
    Novel& dunes = s.add(Novel{.title = "Dunes", .writer = &cy});  // from the child's side
    Novel& reefs = s.add(Novel{.title = "Reefs"});
    cy.novels.push_back(reefs);                                    // or from the parent's
    Review& praise = s.add(Review{.stars = 5, .novel = &dunes});
    s.flush();  // INSERT writer, then novel (writer_id = cy.id), then review (novel_id = dunes.id)
    // [/link]
    CHECK(dunes.writer_id == cy.id);
    CHECK(reefs.writer.get() == &cy);
    CHECK(praise.novel_id == dunes.id);
}

TEST_CASE("docs.relationships: unlinking", "[sqlite][docs]") {
    orm::engine engine = library();
    orm::session s(engine);
    // [unlink]
    Novel* engines = s.get<Novel>(std::int64_t{10});
    Review* first = engines->reviews[0];
    engines->reviews.remove(*first);  // Novel::reviews is orm::cascade::delete_orphan
    s.commit();                       // DELETE FROM review WHERE id = ?
    // [/unlink]
    CHECK(orm_test::count_rows(engine, "review") == 0);
}

TEST_CASE("docs.relationships: the N+1 guard", "[sqlite][docs]") {
    orm::engine engine = library();
    // [n-plus-one]
    std::vector<std::string> warnings;
    orm::session s(engine, {.n_plus_one_threshold = 2,
                            .on_n_plus_one = [&](const orm::n_plus_one_report& r) { warnings.emplace_back(r.relationship); }});
    for (Novel* n : s.query<Novel>()) (void)n->reviews.size();  // one SELECT per novel
    // warnings == {"Novel::reviews"}: reported once, when the second lazy load ran
    // [/n-plus-one]
    CHECK(warnings == std::vector<std::string>{"Novel::reviews"});
}

TEST_CASE("docs.relationships: a self-referential tree in one flush", "[sqlite][docs]") {
    orm::engine engine = library();
    // [tree]
    orm::session s(engine);
    Staff& grace = s.add(Staff{.name = "Grace"});
    Staff& bob = s.add(Staff{.name = "Bob", .manager = &grace});
    Staff& cid = s.add(Staff{.name = "Cid", .manager = &bob});
    s.flush();  // three INSERTs: Grace, then Bob (manager_id = grace.id), then Cid
    // [/tree]
    CHECK(cid.manager_id == bob.id);
    CHECK(bob.manager_id == grace.id);
    CHECK(grace.reports.to_vector() == std::vector<Staff*>{&bob});
}

namespace {
const docs::sql_example link_sql("relationships-link", [](orm::engine& engine) {
    orm::session s(engine);
    Writer& cy = s.add(Writer{.name = "Cy"});
    Novel& dunes = s.add(Novel{.title = "Dunes", .writer = &cy});
    (void)s.add(Review{.stars = 5, .novel = &dunes});
    s.flush();
});
}  // namespace
