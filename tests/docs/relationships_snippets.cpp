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

TEST_CASE("docs.relationships: selectin loading, one statement per level", "[sqlite][docs]") {
    orm::engine engine = library();
    orm::session s(engine);
    (void)s.conn();  // BEGIN is not counted below
    orm::testing::statement_recorder sql(engine);
    // [selectin-query]
    std::vector<Writer*> writers = s.query<Writer>()
                                       .order_by(orm::asc(&Writer::id))
                                       .options(orm::selectin_load(&Writer::novels, &Novel::reviews))
                                       .all();  // 3 SELECTs: the writers, their novels, those novels' reviews
    std::size_t reviews = 0;
    for (Writer* w : writers)
        for (Novel* n : w->novels) reviews += n->reviews.size();  // no SQL: everything is loaded
    // [/selectin-query]
    CHECK(sql.count() == 3);
    CHECK(reviews == 1);
}

TEST_CASE("docs.relationships: a relationship declared load::selectin, and per-query overrides", "[sqlite][docs]") {
    auto engine = orm_test::fresh_engine<Playlist, Song, Writer, Novel, Review>();
    orm_test::seed(engine, Playlist{.id = 1, .name = "Morning"});
    orm_test::seed(engine, Song{.id = 10, .playlist_id = 1, .title = "Dawn"});
    orm_test::seed(engine, Writer{.id = 1, .name = "Ada"});
    orm::session s(engine);
    (void)s.conn();
    orm::testing::statement_recorder sql(engine);
    // [selectin-declared]
    Playlist* morning = s.get<Playlist>(std::int64_t{1});  // 2 SELECTs: the playlist, then its songs
    auto plain = s.query<Playlist>().options(orm::lazy_load(&Playlist::songs));  // this query's playlists: lazy
    auto strict = s.query<Writer>().options(orm::raise_load(&Writer::novels));   // this query's writers: raise
    // [/selectin-declared]
    CHECK(sql.count() == 2);
    CHECK(morning->songs.size() == 1);
    CHECK(sql.count() == 2);
    CHECK(plain.all().size() == 1);
    CHECK_THROWS_AS(strict.all().front()->novels.size(), orm::not_loaded_error);
}

namespace {
const docs::sql_example selectin_sql("relationships-selectin", [](const orm::dialect& d) {
    // The statements selectin loading runs are built by orm::detail::selectin_select; the
    // behavioural suite asserts the same text on every backend.
    const orm::relationship_info& novels = *orm::table_of<Writer>().find_relationship("Writer::novels");
    const orm::relationship_info& reviews = *orm::table_of<Novel>().find_relationship("Novel::reviews");
    const std::vector<std::vector<orm::value>> writer_keys{{std::int64_t{1}}, {std::int64_t{2}}};
    const std::vector<std::vector<orm::value>> novel_keys{{std::int64_t{10}}, {std::int64_t{11}}, {std::int64_t{12}}};
    return std::vector<std::string>{orm::select<Writer>().order_by(orm::asc(&Writer::id)).to_sql(d).text,
                                    d.compile(orm::detail::selectin_select(novels, writer_keys)).text,
                                    d.compile(orm::detail::selectin_select(reviews, novel_keys)).text};
});
const docs::sql_example selectin_many_to_one_sql("relationships-selectin-many-to-one", [](const orm::dialect& d) {
    const orm::relationship_info& writer = *orm::table_of<Novel>().find_relationship("Novel::writer");
    const std::vector<std::vector<orm::value>> keys{{std::int64_t{1}}, {std::int64_t{2}}};
    return std::vector<std::string>{d.compile(orm::detail::selectin_select(writer, keys)).text};
});
}  // namespace

TEST_CASE("docs.relationships: cascade::remove", "[sqlite][docs]") {
    orm::engine engine = library();
    // [cascade-remove]
    orm::session s(engine);
    Writer* ada = s.get<Writer>(std::int64_t{1});
    s.remove(*ada);  // Writer::novels and Novel::reviews are orm::cascade::remove: 2 SELECTs load them
    s.commit();      // DELETE her novels' reviews, then her novels, then her
    // [/cascade-remove]
    CHECK(orm_test::count_rows(engine, "writer") == 1);
    CHECK(orm_test::count_rows(engine, "novel") == 1);
    CHECK(orm_test::count_rows(engine, "review") == 0);
}

TEST_CASE("docs.relationships: queries along relationships", "[sqlite][docs]") {
    orm::engine engine = library();
    orm::session s(engine);
    // [relationship-queries]
    using orm::col;
    auto with_n = s.query<Writer>().where(orm::any(&Writer::novels, col(&Novel::title).like("N%")));  // EXISTS (...)
    auto by_bo = s.query<Novel>().where(orm::has(&Novel::writer, col(&Writer::name) == std::string("Bo")));
    Writer* ada = s.get<Writer>(std::int64_t{1});
    auto hers = s.query<Novel>().where(orm::with_parent(*ada, &Writer::novels));  // novel.writer_id = ada.id
    auto of_tides = s.query<Writer>().join(&Writer::novels).where(col(&Novel::title) == std::string("Tides"));
    // [/relationship-queries]
    CHECK(with_n.all().size() == 1);
    CHECK(by_bo.all().size() == 1);
    CHECK(hers.all().size() == 2);
    CHECK(of_tides.all().front()->name == "Bo");
}

namespace {
const docs::sql_example relationship_queries_sql("relationship-queries", [](const orm::dialect& d) {
    using orm::col;
    return std::vector<std::string>{
        orm::select<Writer>().where(orm::any(&Writer::novels, col(&Novel::title).like("N%"))).to_sql(d).text,
        orm::select<Novel>().where(orm::has(&Novel::writer, col(&Writer::name) == std::string("Bo"))).to_sql(d).text,
        orm::select<Writer>().join(&Writer::novels).where(col(&Novel::title) == std::string("Tides")).to_sql(d).text};
});
}  // namespace
