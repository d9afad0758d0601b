// Queries along relationships on every backend: EXISTS through a relationship
// (orm::any, orm::has), filtering by a related object (orm::with_parent,
// orm::links_to) and joining on one (join(&Writer::novels)), with the exact SQL.
#include <catch2/catch.hpp>

#include "../support/relationship_library.hpp"

using namespace rel;
using orm::col;
using names = std::vector<std::string>;

namespace {

/// `sql` in the spelling of the backend under test (SQLite's double quotes become backticks on MySQL).
std::string spelled_sql(std::string sql) {
    if (orm_test::is_mysql()) std::replace(sql.begin(), sql.end(), '"', '`');
    return sql;
}

template <class Rows>
names names_of(const Rows& rows) {
    names out;
    for (const auto* row : rows) {
        if constexpr (requires { row->name; }) out.push_back(row->name);
        else out.push_back(row->title);
    }
    return out;
}

}  // namespace

TEST_CASE("orm::any: the rows with a related object (for which a condition holds), as a correlated EXISTS", "[relationships][query]") {
    auto db = orm_test::seeded_library();
    orm_test::seed(db, Writer{.id = 3, .name = "Cy"});  // no novels
    orm::session s(db);
    const auto q = s.query<Writer>().where(orm::any(&Writer::novels, col(&Novel::title).like("N%"))).order_by(orm::asc(&Writer::id));
    CHECK(q.to_sql().text ==
          spelled_sql("SELECT \"writer\".\"id\", \"writer\".\"name\" FROM \"writer\" WHERE EXISTS (SELECT ? FROM \"novel\" WHERE "
                      "(\"novel\".\"writer_id\" = \"writer\".\"id\") AND (\"novel\".\"title\" LIKE ?)) ORDER BY \"writer\".\"id\""));
    CHECK(names_of(q.all()) == names{"Ada"});
    CHECK(names_of(s.query<Writer>().where(orm::any(&Writer::novels)).order_by(orm::asc(&Writer::id)).all()) == names{"Ada", "Bo"});
    CHECK(names_of(s.query<Writer>().where(!orm::any(&Writer::novels)).all()) == names{"Cy"});
}

TEST_CASE("orm::has: the rows whose many-to-one target satisfies a condition", "[relationships][query]") {
    auto db = orm_test::seeded_library();
    orm::session s(db);
    const auto q = s.query<Novel>().where(orm::has(&Novel::writer, col(&Writer::name) == std::string("Bo")));
    CHECK(q.to_sql().text == spelled_sql("SELECT \"novel\".\"id\", \"novel\".\"writer_id\", \"novel\".\"title\" FROM \"novel\" WHERE EXISTS "
                                         "(SELECT ? FROM \"writer\" WHERE (\"writer\".\"id\" = \"novel\".\"writer_id\") AND (\"writer\".\"name\" = ?))"));
    CHECK(names_of(q.all()) == names{"Tides"});
}

TEST_CASE("orm::with_parent and orm::links_to: filtering by a related object's key", "[relationships][query]") {
    auto db = orm_test::seeded_library();
    orm::session s(db);
    Writer* ada = s.get<Writer>(std::int64_t{1});
    const auto children = s.query<Novel>().where(orm::with_parent(*ada, &Writer::novels)).order_by(orm::asc(&Novel::id));
    CHECK(children.to_sql().text == spelled_sql("SELECT \"novel\".\"id\", \"novel\".\"writer_id\", \"novel\".\"title\" FROM \"novel\" WHERE "
                                                "\"novel\".\"writer_id\" = ? ORDER BY \"novel\".\"id\""));
    CHECK(names_of(children.all()) == names{"Engines", "Notes"});
    CHECK(names_of(s.query<Novel>().where(orm::links_to(&Novel::writer, *ada)).order_by(orm::asc(&Novel::id)).all()) == names{"Engines", "Notes"});
    // A new object has no key to compare with yet.
    Writer& fresh = s.add(Writer{.name = "Dee"});
    CHECK_THROWS_WITH(orm::with_parent(fresh, &Writer::novels), Catch::Contains("no key yet"));
}

TEST_CASE("join along a relationship: on its keys, inner or left", "[relationships][query]") {
    auto db = orm_test::seeded_library();
    orm_test::seed(db, Writer{.id = 3, .name = "Cy"});
    orm::session s(db);
    const auto q = s.query<Writer>().join(&Writer::novels).where(col(&Novel::title) == std::string("Tides"));
    CHECK(q.to_sql().text == spelled_sql("SELECT \"writer\".\"id\", \"writer\".\"name\" FROM \"writer\" JOIN \"novel\" ON \"novel\".\"writer_id\" = "
                                         "\"writer\".\"id\" WHERE \"novel\".\"title\" = ?"));
    CHECK(names_of(q.all()) == names{"Bo"});
    // From the many side, with both objects in each row.
    const auto pairs = s.query<Novel>().join(&Novel::writer).add_entity<Writer>().order_by(orm::asc(&Novel::id)).all();
    REQUIRE(pairs.size() == 3);
    CHECK(std::get<1>(pairs[2])->name == "Bo");
    CHECK(std::get<0>(pairs[2])->writer.get() == std::get<1>(pairs[2]));  // the identity map's own objects
    // A left join keeps the writers without novels.
    CHECK(names_of(s.query<Writer>().left_join(&Writer::novels).where(col(&Novel::id).is_null()).all()) == names{"Cy"});
}
