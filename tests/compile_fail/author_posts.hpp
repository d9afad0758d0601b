#pragma once
// The models of the relationship compile-fail tests: an author with posts.
#include <orm/orm.hpp>

struct Post;
struct Author {
    std::int64_t id = 0;
    std::string name;
    orm::collection<Post> posts;
};
struct Post {
    std::int64_t id = 0;
    std::int64_t author_id = 0;
};
template <>
struct orm::model<Author> {
    static constexpr auto relationships = orm::relationships(orm::one_to_many(&Author::posts, &Post::author_id));
};
template <>
struct orm::model<Post> {
    static constexpr auto columns = orm::columns(orm::foreign_key(&Post::author_id, &Author::id));
};
