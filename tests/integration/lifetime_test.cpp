// Stable objects: while a session lives, every object it handed out stays
// readable, whatever happens to it (rollback, a failed flush, expiry of a row
// that is gone, close). Run under AddressSanitizer by scripts/check-sanitizers.sh:
// a freed object read here is a heap-use-after-free there.
#include <catch2/catch.hpp>

#include "../support/backend.hpp"

using namespace models;
using orm::object_status;

TEST_CASE("add moves the object in and returns the one the flush writes the key into", "[session][lifetime]") {
    auto db = orm_test::fresh_engine<Author>();
    orm::session s(db);
    Author ada{.name = "Ada"};
    Author& added = s.add(std::move(ada));
    s.flush();
    CHECK(added.id != 0);
    CHECK(s.status(added) == object_status::persistent);
    CHECK(s.status(ada) == object_status::transient);  // the moved-from original is not the session's
    Author copy_source{.name = "Bo"};
    Author& copy = s.add(Author(copy_source));  // a copy is spelled out
    s.flush();
    CHECK(copy.id != 0);
    CHECK(copy_source.id == 0);
}

TEST_CASE("objects added before a rollback are detached and stay readable", "[session][lifetime]") {
    auto db = orm_test::fresh_engine<Author, Book>();
    orm_test::seed(db, Author{.id = 1, .name = "Ada"});
    orm::session s(db);
    Author& pending = s.add(Author{.name = "pending"});
    Author& flushed = s.add(Author{.name = "flushed"});
    s.flush(flushed);
    Author* loaded = s.get<Author>(1);
    REQUIRE(loaded);
    auto from_query = s.query<Author>().where(orm::col(&Author::name) == "Ada").all();
    REQUIRE(from_query.size() == 1);
    s.rollback();
    CHECK(s.status(pending) == object_status::detached);
    CHECK(s.status(flushed) == object_status::detached);
    CHECK(s.status(*loaded) == object_status::persistent);  // expired, reloaded on next use
    CHECK(pending.name == "pending");                        // readable (and writable): the session still owns the memory
    CHECK(flushed.name == "flushed");
    pending.name = "edited after rollback";
    CHECK(pending.name == "edited after rollback");
    CHECK(from_query[0]->name == "Ada");
    CHECK(s.size() == 1);
    s.commit();  // the detached objects are not written
    CHECK(orm_test::count_rows(db, "author") == 1);
    CHECK_THROWS_WITH(s.remove(pending), Catch::Contains("detached"));
}

TEST_CASE("a failed flush keeps pending objects pending and every reference readable", "[session][lifetime]") {
    auto db = orm_test::fresh_engine<Author>();
    orm_test::seed(db, Author{.id = 1, .name = "taken"});
    orm::session s(db);
    Author& fine = s.add(Author{.name = "fine"});
    Author& clash = s.add(Author{.id = 1, .name = "clash"});
    CHECK_THROWS_AS(s.flush(), orm::integrity_error);
    CHECK(s.status(fine) == object_status::pending);
    CHECK(s.status(clash) == object_status::pending);
    CHECK(fine.id == 0);
    CHECK(clash.name == "clash");
    s.expunge(clash);
    CHECK(s.status(clash) == object_status::detached);
    CHECK(clash.name == "clash");
    s.commit();
    CHECK(fine.id != 0);
}

TEST_CASE("an expired object whose row is gone is detached by get, not freed", "[session][lifetime]") {
    auto db = orm_test::fresh_engine<Author>();
    orm_test::seed(db, Author{.id = 3, .name = "doomed"});
    orm::session s(db);
    Author* doomed = s.get<Author>(3);
    REQUIRE(doomed);
    s.commit();
    {
        auto other = db.connect();
        other.execute("DELETE FROM author WHERE id = 3");
    }
    s.expire(*doomed);
    CHECK(s.get<Author>(3) == nullptr);
    CHECK(s.status(*doomed) == object_status::detached);
    CHECK(doomed->name == "doomed");
    CHECK_THROWS_AS(s.refresh(*doomed), orm::interface_error);
}

TEST_CASE("deleted and committed, removed while pending, or closed: detached and readable", "[session][lifetime]") {
    auto db = orm_test::fresh_engine<Author>();
    orm_test::seed(db, Author{.id = 1, .name = "one"}, Author{.id = 2, .name = "two"});
    orm::session s(db);
    Author* one = s.get<Author>(1);
    Author* two = s.get<Author>(2);
    REQUIRE((one && two));
    s.remove(*one);
    Author& never = s.add(Author{.name = "never"});
    s.remove(never);
    CHECK(s.status(never) == object_status::detached);
    s.commit();
    CHECK(s.status(*one) == object_status::detached);
    CHECK(one->name == "one");
    CHECK(never.name == "never");
    s.close();
    CHECK(s.status(*two) == object_status::detached);
    CHECK(two->name == "two");
    CHECK(s.size() == 0);
    // The session goes on; a detached object can be merged back in.
    Author& back = s.merge(*two);
    CHECK(&back != two);
    CHECK(s.status(back) == object_status::persistent);
}
