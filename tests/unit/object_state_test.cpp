// What a session keeps per object: the identity key held inline for one column,
// on the heap for several, equal to the same values however it is held.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include <orm/detail/object_state.hpp>

using orm::detail::key_values;

TEST_CASE("a one-column key is held inline and reads back as its value", "[session][key]") {
    key_values key;
    CHECK(key.empty());
    key.push_back(orm::value{std::int64_t{42}});
    REQUIRE(key.size() == 1);
    CHECK(key[0] == orm::value{std::int64_t{42}});
    CHECK(key.end() - key.begin() == 1);
    CHECK(key == std::vector<orm::value>{orm::value{std::int64_t{42}}});
    CHECK(key != std::vector<orm::value>{orm::value{std::int64_t{43}}});
    CHECK(key != std::vector<orm::value>{});
}

TEST_CASE("a key of several columns keeps every value in order", "[session][key]") {
    const std::vector<orm::value> values{orm::value{std::int64_t{1}}, orm::value{std::string("two")}, orm::value{}};
    key_values key;
    for (const orm::value& v : values) key.push_back(v);
    REQUIRE(key.size() == 3);
    CHECK(key == values);
    CHECK(key[1] == orm::value{std::string("two")});
    CHECK(key == key_values(values));
    CHECK(std::vector<orm::value>(key.begin(), key.end()) == values);
    key_values copy = key;
    key.clear();
    CHECK(key.empty());
    CHECK(copy == values);  // a copy owns its values
    key.push_back(orm::value{std::int64_t{1}});
    CHECK(key != copy);
    CHECK(key == key_values(std::vector<orm::value>{orm::value{std::int64_t{1}}}));
}
