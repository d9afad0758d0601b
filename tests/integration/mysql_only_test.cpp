// Behaviour that only a server backend has: a connection killed under us.
#include <catch2/catch.hpp>

#include "../support/backend.hpp"

TEST_CASE("a killed connection raises connection_error, is discarded by the pool, and the next checkout works",
          "[errors][pool]") {
    auto db = orm_test::make_engine(orm::engine_options{.pool_size = 2, .max_overflow = 0});
    auto victim = db.connect();
    const auto victim_id = victim.execute("SELECT CONNECTION_ID()").scalar<std::uint64_t>();
    {
        auto killer = db.connect();
        killer.execute("KILL CONNECTION " + std::to_string(victim_id));  // an integer we read: nothing user-supplied
    }
    CHECK(db.idle() == 1);
    try {
        victim.execute("SELECT 1");
        FAIL("expected orm::connection_error");
    } catch (const orm::connection_error& e) {
        CHECK((e.native_code() == 2006 || e.native_code() == 2013 || e.native_code() == 1927 || e.native_code() == 4031));
    }
    victim.close();
    CHECK(db.idle() == 1);  // the broken connection was not put back
    auto fresh = db.connect();
    auto other = db.connect();  // a newly opened one: the pool's count was freed
    CHECK(fresh.execute("SELECT 1").scalar<int>() == 1);
    CHECK(other.execute("SELECT 2").scalar<int>() == 2);
}
