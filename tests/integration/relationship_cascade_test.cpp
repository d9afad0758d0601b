// Delete cascades and cycles on every backend: orm::cascade::remove (children and
// grandchildren loaded level by level and deleted before their parents, new children
// dropped, undone by a savepoint rollback), orm::passive_deletes (the database's ON
// DELETE CASCADE deletes what is not loaded) and orm::post_update (rows pointing at
// each other), with the exact statements.
#include <catch2/catch.hpp>

#include "../support/relationship_library.hpp"
#include "../support/sql_log.hpp"

using namespace rel;
using orm_test::spelled;

namespace {

// The library, and two shelves with three items.
orm::engine seeded_library(orm::engine_options options = {}) {
    auto db = orm_test::seeded_library(std::move(options));
    orm_test::seed(db, Shelf{.id = 1, .name = "Top"}, Shelf{.id = 2, .name = "Low"});
    orm_test::seed(db, Item{.id = 7, .shelf_id = 1, .label = "Lamp"}, Item{.id = 8, .shelf_id = 1, .label = "Vase"},
                   Item{.id = 9, .shelf_id = 2, .label = "Box"});
    return db;
}

// A cascade that leaves the children to the database needs the database to do it.
struct Bin;
struct Thing {
    std::int64_t id = 0;
    std::optional<std::int64_t> bin_id;
};
struct Bin {
    std::int64_t id = 0;
    orm::collection<Thing> things;
};

// post_update inserts NULL first: the key must be optional.
struct Knot {
    std::int64_t id = 0;
    std::int64_t next_id = 0;
    orm::to_one<Knot> next;
};

}  // namespace

template <>
struct orm::model<Knot> {
    static constexpr auto relationships = orm::relationships(orm::many_to_one(&Knot::next, &Knot::next_id, orm::post_update));
};

template <>
struct orm::model<Bin> {
    static constexpr auto relationships = orm::relationships(orm::one_to_many(&Bin::things, &Thing::bin_id, orm::cascade::remove, orm::passive_deletes));
};
template <>
struct orm::model<Thing> {
    static constexpr auto columns = orm::columns(orm::foreign_key(&Thing::bin_id, &Bin::id));  // no ON DELETE CASCADE
};

TEST_CASE("cascade::remove: removing a parent removes its children and grandchildren, loaded one level per statement", "[relationships][cascade]") {
    orm_test::sql_log log;
    auto db = seeded_library(log.options());
    orm::session s(db);
    Writer* ada = s.get<Writer>(std::int64_t{1});
    log.clear();
    s.remove(*ada);
    CHECK(log.lines == spelled({
                           "SELECT \"novel\".\"id\", \"novel\".\"writer_id\", \"novel\".\"title\" FROM \"novel\" WHERE \"novel\".\"writer_id\" IN (?) "
                           "ORDER BY \"novel\".\"writer_id\", \"novel\".\"id\" | 1",
                           "SELECT \"review\".\"id\", \"review\".\"novel_id\", \"review\".\"stars\" FROM \"review\" WHERE \"review\".\"novel_id\" "
                           "IN (?, ?) ORDER BY \"review\".\"novel_id\", \"review\".\"id\" | 10, 11",
                       }));
    REQUIRE(ada->novels.size() == 2);
    for (Novel* n : ada->novels) {
        CHECK(s.status(*n) == orm::object_status::deleted);
        for (Review* r : n->reviews) CHECK(s.status(*r) == orm::object_status::deleted);
    }
    log.clear();
    s.commit();
    CHECK(log.lines == spelled({
                           "SAVEPOINT \"orm_flush\"",
                           "DELETE FROM \"review\" WHERE \"id\" = ? | 100",
                           "DELETE FROM \"review\" WHERE \"id\" = ? | 101",
                           "DELETE FROM \"review\" WHERE \"id\" = ? | 102",
                           "DELETE FROM \"review\" WHERE \"id\" = ? | 103",
                           "DELETE FROM \"novel\" WHERE \"id\" = ? | 10",
                           "DELETE FROM \"novel\" WHERE \"id\" = ? | 11",
                           "DELETE FROM \"writer\" WHERE \"id\" = ? | 1",
                           "RELEASE SAVEPOINT \"orm_flush\"",
                           "COMMIT",
                       }));
    CHECK(orm_test::count_rows(db, "writer") == 1);
    CHECK(orm_test::count_rows(db, "novel") == 1);
    CHECK(orm_test::count_rows(db, "review") == 2);
}

TEST_CASE("cascade::remove: loaded children cost no SQL, new children are dropped, a savepoint rollback undoes it all", "[relationships][cascade]") {
    orm_test::sql_log log;
    auto db = seeded_library(log.options());
    orm::session s(db);
    Writer* ada = s.get<Writer>(std::int64_t{1});
    REQUIRE(ada->novels.size() == 2);
    for (Novel* n : ada->novels) REQUIRE(n->reviews.size() == 2);
    {
        auto nested = s.begin_nested();
        log.clear();
        s.remove(*ada);
        CHECK(log.lines.empty());  // everything was loaded
        CHECK(s.status(*ada->novels[0]->reviews[1]) == orm::object_status::deleted);
        nested.rollback();
    }
    CHECK(s.status(*ada) == orm::object_status::persistent);
    for (Novel* n : ada->novels) {
        CHECK(s.status(*n) == orm::object_status::persistent);
        for (Review* r : n->reviews) CHECK(s.status(*r) == orm::object_status::persistent);
    }
    // A new novel in the collection goes with its parent: it is never inserted.
    Novel& draft = s.add(Novel{.title = "Draft"});
    ada->novels.push_back(draft);
    s.remove(*ada);
    CHECK(s.status(draft) == orm::object_status::detached);
    s.commit();
    CHECK(orm_test::count_rows(db, "writer") == 1);
    CHECK(orm_test::count_rows(db, "novel") == 1);
    CHECK(orm_test::count_rows(db, "review") == 2);
}

TEST_CASE("passive_deletes: children not loaded are left to ON DELETE CASCADE, loaded ones are deleted first", "[relationships][cascade]") {
    orm_test::sql_log log;
    auto db = seeded_library(log.options());
    orm::session s(db);
    Shelf* top = s.get<Shelf>(std::int64_t{1});
    Shelf* low = s.get<Shelf>(std::int64_t{2});
    REQUIRE(low->items.size() == 1);  // loaded
    log.clear();
    s.remove(*top);  // its items are not loaded: no SELECT
    s.remove(*low);
    CHECK(log.lines.empty());
    s.commit();
    CHECK(log.lines == spelled({
                           "SAVEPOINT \"orm_flush\"",
                           "DELETE FROM \"item\" WHERE \"id\" = ? | 9",
                           "DELETE FROM \"shelf\" WHERE \"id\" = ? | 1",
                           "DELETE FROM \"shelf\" WHERE \"id\" = ? | 2",
                           "RELEASE SAVEPOINT \"orm_flush\"",
                           "COMMIT",
                       }));
    CHECK(orm_test::count_rows(db, "item") == 0);  // Lamp and Vase went with the top shelf
}

TEST_CASE("passive_deletes without ON DELETE CASCADE on the foreign key is refused at first use", "[relationships][cascade]") {
    auto db = orm_test::make_engine();
    orm::session s(db);
    CHECK_THROWS_AS(s.add(Bin{}), orm::mapping_error);
    CHECK_THROWS_WITH(s.add(Bin{}), Catch::Contains("Bin::things") && Catch::Contains("ON DELETE CASCADE"));
}

TEST_CASE("cascade::remove: a load that fails leaves every object as it was", "[relationships][cascade]") {
    auto db = seeded_library();
    orm::session s(db);
    Writer* ada = s.get<Writer>(std::int64_t{1});
    (void)s.conn().execute("DROP TABLE review");  // the second level's SELECT will fail
    CHECK_THROWS_AS(s.remove(*ada), orm::error);
    CHECK(s.status(*ada) == orm::object_status::persistent);
    REQUIRE(ada->novels.size() == 2);  // the first level was loaded
    for (Novel* n : ada->novels) CHECK(s.status(*n) == orm::object_status::persistent);
    s.rollback();
}

TEST_CASE("post_update: two rows that point at each other are inserted with NULL keys, then updated, and cleared before deletion", "[relationships][post-update]") {
    orm_test::sql_log log;
    auto db = orm_test::fresh_engine<Partner>(log.options());
    orm::session s(db);
    (void)s.conn();
    Partner& a = s.add(Partner{.name = "A"});
    Partner& b = s.add(Partner{.name = "B", .partner = &a});
    a.partner = &b;
    log.clear();
    s.flush();
    // What drivers run to learn generated keys: SQLite's trigger probe, Connector/C++'s LAST_INSERT_ID().
    std::erase_if(log.lines, [](const std::string& l) { return l.starts_with("SELECT NOT EXISTS") || l == "SELECT LAST_INSERT_ID()"; });
    const std::vector<std::string> updates =
        orm_test::is_mysql() ? std::vector<std::string>{"UPDATE `partner` SET `partner_id` = CASE WHEN `id` = ? THEN ? WHEN `id` = ? THEN ? "
                                                        "ELSE `partner_id` END WHERE `id` IN (?, ?) | 1, 2, 2, 1, 1, 2"}
                             : std::vector<std::string>{"UPDATE \"partner\" SET \"partner_id\" = ? WHERE \"id\" = ? | 2, 1",
                                                        "UPDATE \"partner\" SET \"partner_id\" = ? WHERE \"id\" = ? | 1, 2"};
    std::vector<std::string> expected = spelled({"SAVEPOINT \"orm_flush\"",
                                                 "INSERT INTO \"partner\" (\"partner_id\", \"name\") VALUES (?, ?), (?, ?) | NULL, 'A', NULL, 'B'"});
    expected.insert(expected.end(), updates.begin(), updates.end());
    expected.push_back(spelled({"RELEASE SAVEPOINT \"orm_flush\""})[0]);
    CHECK(log.lines == expected);
    CHECK(a.partner_id == b.id);
    CHECK(b.partner_id == a.id);
    CHECK(a.id == 1);  // (the expected parameters above)
    s.commit();
    {
        orm::session check(db);
        Partner* again = check.get<Partner>(a.id);
        CHECK(again->partner->name == "B");
        CHECK(again->partner->partner.get() == again);
    }
    orm::session t(db);
    (void)t.conn();
    t.remove(*t.get<Partner>(a.id));
    t.remove(*t.get<Partner>(b.id));
    log.clear();
    t.commit();  // without the clearing UPDATEs the first DELETE would break the other row's foreign key
    CHECK(log.lines == spelled({"SAVEPOINT \"orm_flush\"", "UPDATE \"partner\" SET \"partner_id\" = ? WHERE \"id\" = ? | NULL, 1",
                                "UPDATE \"partner\" SET \"partner_id\" = ? WHERE \"id\" = ? | NULL, 2", "DELETE FROM \"partner\" WHERE \"id\" = ? | 1",
                                "DELETE FROM \"partner\" WHERE \"id\" = ? | 2", "RELEASE SAVEPOINT \"orm_flush\"", "COMMIT"}));
    CHECK(orm_test::count_rows(db, "partner") == 0);
}

TEST_CASE("post_update on a foreign key that is not optional is refused at first use", "[relationships][post-update]") {
    auto db = orm_test::make_engine();
    orm::session s(db);
    CHECK_THROWS_WITH(s.add(Knot{}), Catch::Contains("Knot::next") && Catch::Contains("not optional"));
}
