// orm::any's condition may only read the related type's columns.
#include "author_posts.hpp"

int main() {
    auto condition = orm::any(&Author::posts, orm::col(&Author::name) == std::string("x"));  // Author is not the related type
    return condition.node.name().empty() ? 0 : 1;
}
