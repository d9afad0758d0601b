// Relationships on every backend: lazy loading (1 + N), raise, the foreign keys
// a flush writes from links (new parents, children and grandchildren in one
// flush), a self-referential tree, unlinking (NULL or delete-orphan), the N+1
// guard, and objects staying readable after a rollback.
#include <catch2/catch.hpp>

#include <orm/testing.hpp>

#include "../support/relationship_library.hpp"
#include "../support/sql_log.hpp"

using namespace rel;
using orm_test::spelled;
using lines = std::vector<std::string>;
using orm_test::seeded_library;

TEST_CASE("relationship members are not columns", "[relationships]") {
    const orm::table_info& novel = orm::table_of<Novel>();
    REQUIRE(novel.columns.size() == 3);
    CHECK(novel.columns[2].name == "title");
    REQUIRE(novel.relationships.size() == 2);
    CHECK(novel.relationships[0].name == "Novel::writer");
    CHECK(novel.relationships[0].kind == orm::relationship_kind::many_to_one);
    CHECK(novel.relationships[1].name == "Novel::reviews");
    CHECK(novel.relationships[1].options.delete_orphan);
    // The many-to-one implies the foreign key constraint.
    REQUIRE(novel.foreign_keys.size() == 1);
    CHECK(&novel.foreign_keys[0].target() == &orm::table_of<Writer>());
    CHECK(novel.foreign_keys[0].columns == std::vector<std::size_t>{1});
}

TEST_CASE("lazy loading: N parents cost 1 + N statements, and a many-to-one in the identity map costs none", "[relationships][lazy]") {
    auto db = seeded_library();
    orm::session s(db);
    (void)s.conn();  // the transaction is open: BEGIN is not counted below
    orm::testing::statement_recorder sql(db);
    std::vector<Writer*> writers = s.query<Writer>().order_by(orm::asc(&Writer::id)).all();
    REQUIRE(writers.size() == 2);
    std::vector<std::string> titles;
    for (Writer* w : writers)
        for (Novel* n : w->novels) titles.push_back(w->name + ": " + n->title);
    CHECK(titles == std::vector<std::string>{"Ada: Engines", "Ada: Notes", "Bo: Tides"});
    CHECK(sql.count() == 1 + writers.size());
    const std::string select_novels = orm_test::is_mysql()
        ? "SELECT `novel`.`id`, `novel`.`writer_id`, `novel`.`title` FROM `novel` WHERE `novel`.`writer_id` = ? ORDER BY `novel`.`id`"
        : "SELECT \"novel\".\"id\", \"novel\".\"writer_id\", \"novel\".\"title\" FROM \"novel\" WHERE \"novel\".\"writer_id\" = ? ORDER BY \"novel\".\"id\"";
    CHECK(sql.statements()[1] == select_novels);
    CHECK(sql.statements()[2] == select_novels);

    // Each novel already knows its writer (back_populates), and any other
    // many-to-one whose target is in the identity map loads without SQL.
    sql.clear();
    for (Writer* w : writers)
        for (Novel* n : w->novels) CHECK(n->writer.get() == w);
    Novel* loaded = s.get<Novel>(std::int64_t{12});
    CHECK(sql.count() == 0);
    CHECK(loaded->writer->name == "Bo");
    CHECK(sql.count() == 0);

    // A novel loaded on its own: its writer costs one SELECT by key, once.
    orm::session fresh(db);
    (void)fresh.conn();
    sql.clear();
    Novel* notes = fresh.get<Novel>(std::int64_t{11});
    CHECK(notes->writer->name == "Ada");
    CHECK(notes->writer->name == "Ada");
    CHECK(sql.count() == 2);
}

TEST_CASE("load::raise: touching an unloaded relationship throws, naming it", "[relationships][raise]") {
    auto db = seeded_library();
    orm::session s(db);
    Review* review = s.get<Review>(std::int64_t{100});
    REQUIRE(review);
    CHECK_THROWS_AS(review->novel.get(), orm::not_loaded_error);
    CHECK_THROWS_WITH(review->novel.get(), Catch::Contains("Review::novel") && Catch::Contains("orm::load::raise"));
    // Loaded from the other side, it is known without SQL and reads normally.
    Novel* engines = s.get<Novel>(std::int64_t{10});
    REQUIRE(engines->reviews.size() == 2);
    CHECK(review->novel.get() == engines);
}

TEST_CASE("a copy of an object is not the session's: its unloaded relationships cannot load", "[relationships]") {
    auto db = seeded_library();
    orm::session s(db);
    Novel copy = *s.get<Novel>(std::int64_t{10});
    CHECK_THROWS_AS(copy.writer.get(), orm::not_loaded_error);
    CHECK_THROWS_AS(copy.reviews.size(), orm::not_loaded_error);
}

TEST_CASE("one flush inserts a new parent, its new children and grandchildren, writing each generated key", "[relationships][flush]") {
    orm_test::sql_log log;
    auto db = orm_test::fresh_engine<Writer, Novel, Review>(log.options());
    log.clear();
    orm::session s(db);
    Writer& ada = s.add(Writer{.name = "Ada"});
    Novel& engines = s.add(Novel{.title = "Engines"});
    Novel& notes = s.add(Novel{.title = "Notes", .writer = &ada});  // linked from the child's side
    ada.novels.push_back(engines);                                 // and from the parent's
    Review& good = s.add(Review{.stars = 5, .novel = &engines});
    Review& fair = s.add(Review{.stars = 3});
    notes.reviews.push_back(fair);
    // Both sides agree in memory before anything is written.
    CHECK(engines.writer.get() == &ada);
    CHECK(ada.novels.size() == 2);
    CHECK(ada.novels.contains(notes));
    CHECK(fair.novel.get() == &notes);
    s.flush();
    CHECK(ada.id != 0);
    CHECK(engines.writer_id == ada.id);
    CHECK(notes.writer_id == ada.id);
    CHECK(good.novel_id == engines.id);
    CHECK(fair.novel_id == notes.id);
    // One INSERT per table, parents first (MySQL's spelling differs only in quoting).
    std::vector<std::string> inserts;
    for (const auto& line : log.lines)
        if (line.rfind("INSERT", 0) == 0) inserts.push_back(line.substr(0, line.find(" VALUES")));
    CHECK(inserts == spelled({"INSERT INTO \"writer\" (\"name\")", "INSERT INTO \"novel\" (\"writer_id\", \"title\")",
                              "INSERT INTO \"review\" (\"novel_id\", \"stars\")"}));
    s.commit();

    orm::session check(db);
    Writer* reread = check.get<Writer>(ada.id);
    REQUIRE(reread);
    REQUIRE(reread->novels.size() == 2);
    CHECK(reread->novels[0]->title == "Engines");
    CHECK(reread->novels[0]->reviews.size() == 1);
    CHECK(reread->novels[1]->reviews[0]->stars == 3);
}

TEST_CASE("moving a loaded child to a new parent: the parent is inserted, then the child updated", "[relationships][flush]") {
    orm_test::sql_log log;
    auto db = seeded_library(log.options());
    orm::session s(db);
    Novel* tides = s.get<Novel>(std::int64_t{12});
    Writer* bo = tides->writer.get();
    REQUIRE(bo->novels.size() == 1);
    Writer& cy = s.add(Writer{.name = "Cy"});
    tides->writer = &cy;
    CHECK(bo->novels.empty());  // the old side forgot it
    log.clear();
    s.flush();
    CHECK(tides->writer_id == cy.id);
    REQUIRE(log.lines.size() == 4);
    CHECK(log.lines[1].rfind(spelled({"INSERT INTO \"writer\""})[0], 0) == 0);
    CHECK(log.lines[2] == spelled({"UPDATE \"novel\" SET \"writer_id\" = ? WHERE \"id\" = ? | " + std::to_string(cy.id) + ", 12"})[0]);
    s.commit();
    CHECK(orm_test::count_rows(db, "novel") == 3);
}

TEST_CASE("a self-referential tree is inserted level by level in one flush, and deleted leaves first", "[relationships][flush][tree]") {
    orm_test::sql_log log;
    auto db = orm_test::fresh_engine<Staff>(log.options());
    log.clear();
    orm::session s(db);
    Staff& grace = s.add(Staff{.name = "Grace"});
    Staff& ann = s.add(Staff{.name = "Ann", .manager = &grace});
    Staff& bob = s.add(Staff{.name = "Bob"});
    grace.reports.push_back(bob);
    Staff& cid = s.add(Staff{.name = "Cid", .manager = &bob});
    s.flush();
    CHECK(grace.manager_id == std::nullopt);
    CHECK(ann.manager_id == grace.id);
    CHECK(bob.manager_id == grace.id);
    CHECK(cid.manager_id == bob.id);
    std::vector<std::string> inserts;
    for (const auto& line : log.lines)
        if (line.rfind("INSERT", 0) == 0) inserts.push_back(line.substr(line.find(" | ")));
    // Three levels, three INSERTs: each row after the row its key points to.
    CHECK(inserts == lines{" | NULL, 'Grace'", " | " + std::to_string(grace.id) + ", 'Ann', " + std::to_string(grace.id) + ", 'Bob'",
                           " | " + std::to_string(bob.id) + ", 'Cid'"});
    s.commit();

    orm::session again(db);
    Staff* root = again.get<Staff>(grace.id);
    REQUIRE(root->reports.size() == 2);
    CHECK(root->reports[1]->reports[0]->name == "Cid");
    CHECK(root->reports[1]->reports[0]->manager->manager.get() == root);
    for (Staff* s1 : again.all<Staff>()) again.remove(*s1);
    log.clear();
    again.commit();
    std::vector<std::string> deletes;
    for (const auto& line : log.lines)
        if (line.rfind("DELETE", 0) == 0) deletes.push_back(line.substr(line.find(" | ") + 3));
    REQUIRE(deletes.size() == 4);
    CHECK(deletes.back() == std::to_string(grace.id));       // the root goes last
    CHECK(deletes[0] == std::to_string(cid.id));             // the deepest first
    CHECK(orm_test::count_rows(db, "staff") == 0);
}

TEST_CASE("a child removed from a collection: its optional key is set to NULL, or it is deleted (delete-orphan)", "[relationships][flush]") {
    orm_test::sql_log log;
    auto db = seeded_library(log.options());
    orm_test::seed(db, Shelf{.id = 1, .name = "Top"});
    orm_test::seed(db, Item{.id = 7, .shelf_id = 1, .label = "Lamp"}, Item{.id = 8, .shelf_id = 1, .label = "Vase"});
    orm::session s(db);
    Shelf* top = s.get<Shelf>(std::int64_t{1});
    REQUIRE(top->items.size() == 2);
    Item* lamp = top->items[0];
    Novel* engines = s.get<Novel>(std::int64_t{10});
    Review* first = engines->reviews[0];
    CHECK(top->items.remove(*lamp));
    CHECK_FALSE(top->items.remove(*lamp));
    engines->reviews.remove(*first);
    CHECK(first->novel.get() == nullptr);  // the other side forgot it at once
    log.clear();
    s.flush();
    CHECK(lamp->shelf_id == std::nullopt);
    CHECK(s.status(*first) == orm::object_status::deleted);
    CHECK(log.lines == spelled({"SAVEPOINT \"orm_flush\"", "UPDATE \"item\" SET \"shelf_id\" = ? WHERE \"id\" = ? | NULL, 7",
                                "DELETE FROM \"review\" WHERE \"id\" = ? | 100", "RELEASE SAVEPOINT \"orm_flush\""}));
    s.commit();
    CHECK(orm_test::count_rows(db, "review") == 5);
    orm::session check(db);
    CHECK(check.get<Shelf>(std::int64_t{1})->items.size() == 1);
}

TEST_CASE("a non-optional key cannot be unlinked without delete-orphan: a clear error, nothing written", "[relationships][flush]") {
    auto db = seeded_library();
    orm::session s(db);
    Novel* tides = s.get<Novel>(std::int64_t{12});
    tides->writer = nullptr;
    CHECK_THROWS_WITH(s.flush(), Catch::Contains("Novel::writer") && Catch::Contains("writer_id") && Catch::Contains("not optional"));
    s.rollback();
    CHECK(orm_test::count_rows(db, "novel") == 3);
}

TEST_CASE("linking an object the session does not own is refused at flush", "[relationships][flush]") {
    auto db = seeded_library();
    orm::session s(db);
    // Appending one is refused at once, and the collection is left as it was.
    Writer* ada = s.get<Writer>(std::int64_t{1});
    Novel loose{.title = "Loose"};
    CHECK_THROWS_WITH(ada->novels.push_back(loose), Catch::Contains("Writer::novels") && Catch::Contains("not owned"));
    CHECK(ada->novels.size() == 2);
    // Linking to one is refused by the flush, which writes nothing.
    Writer stranger{.name = "Nobody"};
    Novel& n = s.add(Novel{.title = "Lost", .writer = &stranger});
    CHECK_THROWS_WITH(s.flush(), Catch::Contains("Novel::writer") && Catch::Contains("does not own"));
    CHECK(s.status(n) == orm::object_status::pending);
    s.rollback();
    CHECK(orm_test::count_rows(db, "novel") == 3);
}

TEST_CASE("the N+1 guard reports a relationship loaded lazily again and again, and strict mode refuses it", "[relationships][n+1]") {
    auto db = seeded_library();
    std::vector<std::string> reports;
    orm::session s(db, {.n_plus_one_threshold = 2, .on_n_plus_one = [&](const orm::n_plus_one_report& r) {
                            reports.push_back(std::string(r.relationship) + " x" + std::to_string(r.count));
                        }});
    for (Novel* n : s.query<Novel>().order_by(orm::asc(&Novel::id)).all()) (void)n->reviews.size();
    CHECK(reports == std::vector<std::string>{"Novel::reviews x2"});  // once, at the threshold

    orm::session strict(db, {.n_plus_one_threshold = 2, .strict_loading = true});
    auto novels = strict.query<Novel>().order_by(orm::asc(&Novel::id)).all();
    (void)novels[0]->reviews.size();
    CHECK_THROWS_AS(novels[1]->reviews.size(), orm::n_plus_one_error);
}

TEST_CASE("relationships stay readable after a rollback", "[relationships][lifetime]") {
    auto db = seeded_library();
    orm::session s(db);
    Novel* engines = s.get<Novel>(std::int64_t{10});
    Writer* ada = engines->writer.get();
    Writer& cy = s.add(Writer{.name = "Cy"});
    Novel& fresh = s.add(Novel{.title = "Fresh", .writer = &cy});
    s.flush();
    s.rollback();
    // Loaded targets and rolled-back (detached) objects are still there to read.
    CHECK(engines->writer->name == "Ada");
    CHECK(ada->novels.size() == 2);
    CHECK(fresh.writer->name == "Cy");
    CHECK(s.status(cy) == orm::object_status::detached);
    CHECK(cy.novels.to_vector() == std::vector<Novel*>{&fresh});  // linked before add(): both sides knew
    // What was never loaded cannot be loaded through a detached object.
    Writer& dee = s.add(Writer{.name = "Dee"});
    s.expunge(dee);
    Novel& orphan = s.add(Novel{.writer_id = 1, .title = "Orphan"});
    s.expunge(orphan);
    CHECK_THROWS_WITH(orphan.writer.get(), Catch::Contains("detached"));
}

TEST_CASE("merge() copies columns, never another session's links", "[relationships][lifetime]") {
    auto db = seeded_library();
    Writer copy;
    Novel novel_copy;
    {
        orm::session first(db);
        Writer* ada = first.get<Writer>(std::int64_t{1});
        REQUIRE(ada->novels.size() == 2);  // loaded: the copy's items point to first's novels
        copy = *ada;
        novel_copy = *ada->novels[0];
        (void)novel_copy.writer.get();
    }  // first's objects are gone: the copies' links would dangle
    copy.name = "Ada L.";
    orm::session s(db);
    Writer& merged = s.merge(copy);
    CHECK(merged.name == "Ada L.");
    REQUIRE(merged.novels.size() == 2);  // loaded through s
    for (Novel* n : merged.novels) CHECK(s.contains(*n));
    Novel& merged_novel = s.merge(novel_copy);
    CHECK(merged_novel.writer.get() == &merged);
    // A copy with no row becomes a new object without links.
    Writer stranger{.id = 0, .name = "New"};
    stranger.novels.push_back(novel_copy);  // not a session's object: must not be carried over
    Writer& added = s.merge(stranger);
    CHECK(added.novels.empty());
    s.commit();
    CHECK(orm_test::count_rows(db, "writer") == 3);
}

namespace {
// Two relationships to the same parent: an invoice's billing and shipping address.
struct Address {
    std::int64_t id = 0;
    std::string street;
};
struct Invoice {
    std::int64_t id = 0;
    std::int64_t billing_id = 0;
    std::optional<std::int64_t> shipping_id;
    orm::to_one<Address> billing;
    orm::to_one<Address> shipping;
};
}  // namespace

template <>
struct orm::model<Address> {
    static constexpr auto table = "rel_address";
};
template <>
struct orm::model<Invoice> {
    static constexpr auto table = "rel_invoice";
    static constexpr auto relationships = orm::relationships(orm::many_to_one(&Invoice::billing, &Invoice::billing_id),
                                                             orm::many_to_one(&Invoice::shipping, &Invoice::shipping_id));
};

TEST_CASE("two relationships to the same parent: each through its own foreign key", "[relationships][flush]") {
    orm_test::sql_log log;
    auto db = orm_test::make_engine(log.options());
    orm::drop_all<Invoice, Address>(db);
    orm::create_all<Address, Invoice>(db);
    const orm::table_info& invoice = orm::table_of<Invoice>();
    REQUIRE(invoice.foreign_keys.size() == 2);  // one implied per relationship
    {
        orm::session s(db);
        Address& home = s.add(Address{.street = "Home"});
        Address& depot = s.add(Address{.street = "Depot"});
        Invoice& both = s.add(Invoice{.billing = &home, .shipping = &depot});
        Invoice& same = s.add(Invoice{.billing = &home, .shipping = &home});
        (void)s.add(Invoice{.billing = &depot});  // no shipping address: NULL
        s.commit();
        CHECK(both.billing_id == home.id);
        CHECK(both.shipping_id == depot.id);
        CHECK(same.shipping_id == home.id);
    }
    std::vector<std::string> lines;
    {
        orm::session s(db);
        for (Invoice* i : s.query<Invoice>().order_by(orm::asc(&Invoice::id)).options(orm::selectin_load(&Invoice::billing), orm::selectin_load(&Invoice::shipping)))
            lines.push_back(i->billing->street + " / " + (i->shipping ? i->shipping->street : std::string("-")));
    }
    CHECK(lines == std::vector<std::string>{"Home / Depot", "Home / Home", "Depot / -"});
    orm::drop_all<Invoice, Address>(db);
}

TEST_CASE("expire() and refresh() unload relationships: the next access loads them afresh", "[relationships][lazy]") {
    auto db = seeded_library();
    orm::session s(db);
    Writer* ada = s.get<Writer>(std::int64_t{1});
    REQUIRE(ada->novels.size() == 2);
    Novel* tides = s.get<Novel>(std::int64_t{12});
    REQUIRE(tides->writer->name == "Bo");
    s.commit();  // (SQLite: the other session below writes)
    {
        orm::session other(db);
        other.get<Novel>(std::int64_t{12})->writer_id = 1;  // Tides moves to Ada
        (void)other.add(Novel{.writer_id = 1, .title = "Third"});
        other.commit();
    }
    CHECK(tides->writer->name == "Bo");  // still what was loaded
    s.refresh(*tides);
    CHECK(tides->writer_id == 1);
    CHECK(tides->writer.get() == ada);  // loaded again (from the identity map)
    s.expire(*ada);
    std::vector<std::string> titles;
    for (Novel* n : ada->novels) titles.push_back(n->title);
    CHECK(titles == std::vector<std::string>{"Engines", "Notes", "Tides", "Third"});
    // A collection with unflushed changes keeps them.
    Novel& draft = s.add(Novel{.title = "Draft"});
    ada->novels.push_back(draft);
    s.expire(*ada);
    CHECK(ada->novels.contains(draft));
}
