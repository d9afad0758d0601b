// Loading strategies on every backend: selectin loading (1 + ⌈N / batch⌉ statements
// per level, the exact IN queries), a query's loading options over nested paths,
// relationships declared orm::load::selectin, and per-query lazy / raise overrides.
#include <catch2/catch.hpp>

#include <orm/testing.hpp>

#include "../support/backend.hpp"
#include "../support/sql_log.hpp"

using namespace rel;
using orm_test::spelled;
using lines = std::vector<std::string>;

namespace {

// `writers` writers (ids 1..), each with `novels` novels (ids from 100), each with `reviews` reviews (ids from 10000).
orm::engine library(std::size_t writers, std::size_t novels, std::size_t reviews, orm::engine_options options = {}) {
    auto db = orm_test::fresh_engine<Writer, Novel, Review, Staff, Playlist, Song>(std::move(options));
    orm::session setup(db);
    std::int64_t novel_id = 100, review_id = 10000;
    for (std::size_t w = 1; w <= writers; ++w) {
        (void)setup.add(Writer{.id = static_cast<std::int64_t>(w), .name = std::string("W").append(std::to_string(w))});
        for (std::size_t n = 0; n < novels; ++n, ++novel_id) {
            (void)setup.add(Novel{.id = novel_id, .writer_id = static_cast<std::int64_t>(w), .title = std::string("N").append(std::to_string(novel_id))});
            for (std::size_t r = 0; r < reviews; ++r, ++review_id)
                (void)setup.add(Review{.id = review_id, .novel_id = novel_id, .stars = static_cast<std::int32_t>(r % 5)});
        }
    }
    setup.commit();
    return db;
}

std::string placeholders(std::size_t n) {
    std::string out;
    for (std::size_t i = 0; i < n; ++i) out += i ? ", ?" : "?";
    return out;
}

// Every writer's novels and their reviews, read through the objects: "W1: N100 (0, 1) N101 (2, 3)".
std::vector<std::string> shelves(const std::vector<Writer*>& writers) {
    std::vector<std::string> out;
    for (Writer* w : writers) {
        std::string line = w->name + ":";
        for (Novel* n : w->novels) {
            line += " " + n->title + " (";
            for (Review* r : n->reviews) line.append(line.back() == '(' ? "" : ", ").append(std::to_string(r->stars));
            line += ")";
        }
        out.push_back(line);
    }
    return out;
}

}  // namespace

TEST_CASE("selectin loading: three levels cost three statements, with the exact IN queries", "[loading][selectin]") {
    orm_test::sql_log log;
    auto db = library(2, 2, 2, log.options());
    orm::session s(db);
    (void)s.conn();
    log.clear();
    orm::testing::statement_recorder sql(db);
    const std::vector<Writer*> writers =
        s.query<Writer>().order_by(orm::asc(&Writer::id)).options(orm::selectin_load(&Writer::novels, &Novel::reviews)).all();
    CHECK(log.lines == spelled({
                           "SELECT \"writer\".\"id\", \"writer\".\"name\" FROM \"writer\" ORDER BY \"writer\".\"id\"",
                           "SELECT \"novel\".\"id\", \"novel\".\"writer_id\", \"novel\".\"title\" FROM \"novel\" WHERE \"novel\".\"writer_id\" "
                           "IN (?, ?) ORDER BY \"novel\".\"writer_id\", \"novel\".\"id\" | 1, 2",
                           "SELECT \"review\".\"id\", \"review\".\"novel_id\", \"review\".\"stars\" FROM \"review\" WHERE \"review\".\"novel_id\" "
                           "IN (?, ?, ?, ?) ORDER BY \"review\".\"novel_id\", \"review\".\"id\" | 100, 101, 102, 103",
                       }));
    // Everything is there: navigating runs no SQL, and each side knows the other.
    sql.clear();
    CHECK(shelves(writers) == lines{"W1: N100 (0, 1) N101 (0, 1)", "W2: N102 (0, 1) N103 (0, 1)"});
    for (Writer* w : writers)
        for (Novel* n : w->novels) {
            CHECK(n->writer.get() == w);
            for (Review* r : n->reviews) CHECK(r->novel.get() == n);  // Review::novel is load::raise: it was set, not loaded
        }
    CHECK(sql.count() == 0);
}

TEST_CASE("selectin loading: 1 + ceil(N / batch) statements per level", "[loading][selectin]") {
    auto db = library(10, 2, 1);
    const std::size_t batch = GENERATE(4, 0);  // 0: as many as the driver's parameter limit allows
    orm::session s(db, {.selectin_batch_size = batch});
    (void)s.conn();
    orm::testing::statement_recorder sql(db);
    const std::vector<Writer*> writers =
        s.query<Writer>().order_by(orm::asc(&Writer::id)).options(orm::selectin_load(&Writer::novels, &Novel::reviews)).all();
    REQUIRE(writers.size() == 10);
    // 10 writers, 20 novels: ⌈10/4⌉ + ⌈20/4⌉ IN queries in batches of 4, one per level without a limit.
    CHECK(sql.count() == (batch == 4 ? 1 + 3 + 5 : 1 + 1 + 1));
    if (batch == 4) {
        const std::string prefix = orm_test::is_mysql() ? "SELECT `novel`.`id`, `novel`.`writer_id`, `novel`.`title` FROM `novel` WHERE `novel`.`writer_id` IN ("
                                                        : "SELECT \"novel\".\"id\", \"novel\".\"writer_id\", \"novel\".\"title\" FROM \"novel\" WHERE \"novel\".\"writer_id\" IN (";
        CHECK(sql.statements()[1].starts_with(prefix + placeholders(4) + ")"));
        CHECK(sql.statements()[3].starts_with(prefix + placeholders(2) + ")"));  // the last batch: writers 9 and 10
    }
    sql.clear();
    std::size_t reviews = 0;
    for (Writer* w : writers)
        for (Novel* n : w->novels) reviews += n->reviews.size();
    CHECK(reviews == 20);
    CHECK(sql.count() == 0);
}

TEST_CASE("selectin loading of a many-to-one: one IN query over the distinct keys not in the identity map", "[loading][selectin]") {
    orm_test::sql_log log;
    auto db = library(3, 2, 0, log.options());
    orm::session s(db);
    Writer* known = s.get<Writer>(std::int64_t{2});  // in the identity map: not queried again
    log.clear();
    const std::vector<Novel*> novels = s.query<Novel>().order_by(orm::asc(&Novel::id)).options(orm::selectin_load(&Novel::writer)).all();
    REQUIRE(novels.size() == 6);
    REQUIRE(log.lines.size() == 2);
    CHECK(log.lines[1] == spelled({"SELECT \"writer\".\"id\", \"writer\".\"name\" FROM \"writer\" WHERE \"writer\".\"id\" IN (?, ?) | 1, 3"})[0]);
    log.clear();
    CHECK(novels[2]->writer.get() == known);
    std::vector<std::string> names;
    for (Novel* n : novels) names.push_back(n->writer->name);
    CHECK(names == lines{"W1", "W1", "W2", "W2", "W3", "W3"});
    CHECK(log.lines.empty());
}

TEST_CASE("a relationship declared load::selectin loads with its objects: queries, all(), get() and lazy loads", "[loading][selectin]") {
    auto db = orm_test::fresh_engine<Playlist, Song>();
    orm_test::seed(db, Playlist{.id = 1, .name = "Morning"}, Playlist{.id = 2, .name = "Night"}, Playlist{.id = 3, .name = "Empty"});
    orm_test::seed(db, Song{.id = 10, .playlist_id = 1, .title = "Dawn"}, Song{.id = 11, .playlist_id = 1, .title = "Coffee"},
                   Song{.id = 12, .playlist_id = 2, .title = "Moon"});
    orm::testing::statement_recorder sql(db);
    auto titles = [](const Playlist& p) {
        std::string out;
        for (Song* song : p.songs) out.append(out.empty() ? "" : ",").append(song->title);
        return out;
    };
    {
        orm::session s(db);
        (void)s.conn();
        sql.clear();
        const std::vector<Playlist*> lists = s.query<Playlist>().order_by(orm::asc(&Playlist::id)).all();
        CHECK(sql.count() == 2);
        CHECK(titles(*lists[0]) == "Dawn,Coffee");
        CHECK(titles(*lists[2]).empty());
        CHECK(lists[0]->songs[0]->playlist.get() == lists[0]);
        CHECK(sql.count() == 2);
    }
    {
        orm::session s(db);
        (void)s.conn();
        sql.clear();
        CHECK(s.all<Playlist>().size() == 3);
        CHECK(sql.count() == 2);
    }
    {
        orm::session s(db);
        (void)s.conn();
        sql.clear();
        Playlist* night = s.get<Playlist>(std::int64_t{2});
        CHECK(sql.count() == 2);
        CHECK(titles(*night) == "Moon");
        // A song loaded on its own: its playlist (a lazy many-to-one) brings the playlist's songs along.
        Song* dawn = s.get<Song>(std::int64_t{10});
        sql.clear();
        CHECK(titles(*dawn->playlist) == "Dawn,Coffee");
        CHECK(sql.count() == 2);  // the playlist, then its songs (Dawn is the session's own: same object)
        CHECK(dawn->playlist->songs[0] == dawn);
    }
    {
        // A query's option overrides the declaration: lazy here, one SELECT on first access.
        orm::session s(db);
        (void)s.conn();
        sql.clear();
        const std::vector<Playlist*> lists = s.query<Playlist>().order_by(orm::asc(&Playlist::id)).options(orm::lazy_load(&Playlist::songs)).all();
        CHECK(sql.count() == 1);
        CHECK(titles(*lists[1]) == "Moon");
        CHECK(sql.count() == 2);
    }
}

TEST_CASE("a query's raise_load: its objects refuse to load that relationship, naming it", "[loading][raise]") {
    auto db = library(2, 1, 1);
    orm::session s(db);
    const std::vector<Writer*> writers = s.query<Writer>().order_by(orm::asc(&Writer::id)).options(orm::raise_load(&Writer::novels)).all();
    CHECK_THROWS_WITH(writers[0]->novels.size(), Catch::Contains("Writer::novels") && Catch::Contains("orm::load::raise"));
    CHECK_THROWS_AS(writers[0]->novels.size(), orm::not_loaded_error);
    // The path's last relationship gets the strategy; the ones before it load selectin.
    orm::session other(db);
    (void)other.conn();
    orm::testing::statement_recorder sql(db);
    const std::vector<Writer*> again =
        other.query<Writer>().order_by(orm::asc(&Writer::id)).options(orm::raise_load(&Writer::novels, &Novel::reviews)).all();
    CHECK(again[1]->novels.size() == 1);
    CHECK_THROWS_WITH(again[1]->novels[0]->reviews.size(), Catch::Contains("Novel::reviews"));
    CHECK(sql.count() == 2);  // writers, novels
    // raise_on_sql lets a many-to-one through when its target is in the identity map.
    const std::vector<Novel*> novels = other.query<Novel>().order_by(orm::asc(&Novel::id)).options(orm::raise_on_sql_load(&Novel::writer)).all();
    CHECK(novels[0]->writer->name == "W1");  // known already: set when the novels were loaded through writers
    orm::session third(db);
    const std::vector<Novel*> cold = third.query<Novel>().order_by(orm::asc(&Novel::id)).options(orm::raise_on_sql_load(&Novel::writer)).all();
    CHECK_THROWS_WITH(cold[0]->writer.get(), Catch::Contains("Novel::writer") && Catch::Contains("raise_on_sql"));
}

TEST_CASE("loading options: nested paths share their prefix, later options win, contradictions are refused", "[loading]") {
    auto db = library(2, 2, 1);
    orm::session s(db);
    orm::testing::statement_recorder sql(db);
    (void)s.conn();
    sql.clear();
    // Novels selectin (named once, reached by the second path too); reviews raise.
    const std::vector<Writer*> writers = s.query<Writer>()
                                             .options(orm::selectin_load(&Writer::novels), orm::raise_load(&Writer::novels, &Novel::reviews))
                                             .all();
    CHECK(sql.count() == 2);
    CHECK(writers[0]->novels.size() == 2);
    CHECK_THROWS_AS(writers[0]->novels[0]->reviews.size(), orm::not_loaded_error);
    // A relationship cannot both raise and be loaded through.
    auto q = s.query<Writer>().options(orm::raise_load(&Writer::novels));
    CHECK_THROWS_WITH(q.options(orm::selectin_load(&Writer::novels, &Novel::reviews)),
                      Catch::Contains("Writer::novels") && Catch::Contains("load it selectin"));
    // A later option for the same relationship wins.
    orm::session t(db);
    const std::vector<Writer*> loaded =
        t.query<Writer>().options(orm::raise_load(&Writer::novels)).options(orm::selectin_load(&Writer::novels)).all();
    CHECK(loaded[0]->novels.size() == 2);
}

TEST_CASE("selectin along a path goes through objects loaded before, and a self-referential tree loads level by level", "[loading][selectin][tree]") {
    auto db = library(2, 2, 1);
    orm::session s(db);
    Writer* first = s.get<Writer>(std::int64_t{1});
    CHECK(first->novels.size() == 2);  // loaded lazily before; their reviews are not
    orm::testing::statement_recorder sql(db);
    const std::vector<Writer*> writers =
        s.query<Writer>().order_by(orm::asc(&Writer::id)).options(orm::selectin_load(&Writer::novels, &Novel::reviews)).all();
    CHECK(sql.count() == 3);  // writers; writer 2's novels; the reviews of all four novels
    CHECK(sql.statements()[1].find("IN (?)") != std::string::npos);
    sql.clear();
    CHECK(shelves(writers) == lines{"W1: N100 (0) N101 (0)", "W2: N102 (0) N103 (0)"});
    CHECK(sql.count() == 0);
    s.commit();  // (SQLite: the seeding below writes)

    orm_test::seed(db, Staff{.id = 1, .name = "Grace"});
    orm_test::seed(db, Staff{.id = 2, .manager_id = 1, .name = "Bob"}, Staff{.id = 3, .manager_id = 1, .name = "Ann"});
    orm_test::seed(db, Staff{.id = 4, .manager_id = 2, .name = "Cid"});
    orm::session tree(db);
    (void)tree.conn();
    sql.clear();
    const std::vector<Staff*> roots = tree.query<Staff>()
                                          .where(orm::col(&Staff::manager_id).is_null())
                                          .options(orm::selectin_load(&Staff::reports, &Staff::reports, &Staff::reports))
                                          .all();
    CHECK(sql.count() == 4);  // the roots, then one query per level
    sql.clear();
    REQUIRE(roots.size() == 1);
    std::vector<std::string> names;
    for (Staff* report : roots[0]->reports)
        for (Staff* below : report->reports) names.push_back(report->name + ">" + below->name + ":" + std::to_string(below->reports.size()));
    CHECK(names == lines{"Bob>Cid:0"});
    CHECK(roots[0]->reports[1]->reports.empty());
    CHECK(sql.count() == 0);
}

TEST_CASE("loading options need a session's buffered objects: on a connection or a stream they are refused", "[loading]") {
    auto db = library(1, 1, 0);
    orm::session s(db);
    const auto q = s.query<Writer>().options(orm::selectin_load(&Writer::novels));
    CHECK_THROWS_WITH(q.stream(), Catch::Contains("all() or a range-for"));
    orm::connection conn = db.connect();
    const auto by_value = orm::select<Writer>().options(orm::selectin_load(&Writer::novels));
    CHECK_THROWS_WITH(by_value.all(conn), Catch::Contains("run it on a session"));
    CHECK(by_value.all(s).front()->novels.size() == 1);  // on a session the same query loads them
    // A query with a join reads the joined objects' relationships too.
    orm::session t(db);
    (void)t.conn();
    orm::testing::statement_recorder sql(db);
    const auto rows = t.query<Novel>().join<Writer>().add_entity<Writer>().options(orm::selectin_load(&Writer::novels)).all();
    REQUIRE(rows.size() == 1);
    CHECK(std::get<1>(rows[0])->novels.size() == 1);
    CHECK(sql.count() == 2);  // the join, the novels IN query
}

TEST_CASE("selectin loading after a rollback: loaded collections stay readable", "[loading][lifetime]") {
    auto db = library(2, 1, 1);
    orm::session s(db);
    const std::vector<Writer*> writers = s.query<Writer>().order_by(orm::asc(&Writer::id)).options(orm::selectin_load(&Writer::novels, &Novel::reviews)).all();
    s.rollback();
    CHECK(shelves(writers) == lines{"W1: N100 (0)", "W2: N101 (0)"});
}

TEST_CASE("reads after a locking query are plain reads: unflushed changes of other objects survive them", "[loading][lock]") {
    auto db = library(1, 2, 0);
    orm::session s(db, {.autoflush = false});
    s.begin({.write = true});  // (SQLite: a locking read needs the write lock)
    Novel* first = s.get<Novel>(std::int64_t{100});
    first->title = "Changed";  // not flushed
    REQUIRE(s.query<Writer>().lock(orm::for_update).all().size() == 1);
    // These reads merge the changed novel again: it keeps its change (a locking read would refuse to overwrite it).
    CHECK(s.all<Novel>().size() == 2);
    CHECK(s.get<Writer>(std::int64_t{1})->novels.size() == 2);
    CHECK(first->title == "Changed");
    CHECK(s.is_modified(*first));
}

TEST_CASE("an object a query reads twice (a join) is loaded once", "[loading][selectin]") {
    auto db = library(1, 3, 0);
    orm::session s(db);
    (void)s.conn();
    orm::testing::statement_recorder sql(db);
    const auto rows = s.query<Novel>().join<Writer>().add_entity<Writer>().order_by(orm::asc(&Novel::id)).options(orm::selectin_load(&Writer::novels)).all();
    REQUIRE(rows.size() == 3);
    CHECK(std::get<1>(rows[0]) == std::get<1>(rows[2]));
    CHECK(std::get<1>(rows[2])->novels.size() == 3);
    REQUIRE(sql.count() == 2);
    CHECK(sql.statements()[1].find("IN (?)") != std::string::npos);  // one key, not three
}
