#include "app/sockets_by_user.h"

#include <gtest/gtest.h>

namespace praktika::app {
namespace {

class Socket final : public net::WsConnection, public std::enable_shared_from_this<Socket> {
 public:
  explicit Socket(std::uint64_t id) : id_(id) {}
  std::uint64_t id() const override { return id_; }
  void deliver(const hub::Frame&, hub::Pace) override {}
  void send_text(std::string) override {}
  void close(std::uint16_t, std::string) override {}
  std::shared_ptr<WsConnection> shared() override { return shared_from_this(); }

 private:
  std::uint64_t id_;
};

TEST(SocketsByUser, TakeReturnsEveryLiveSocketOfThatUserOnceAndNoneOfAnother) {
  SocketsByUser table;
  auto first = std::make_shared<Socket>(1), second = std::make_shared<Socket>(2), other = std::make_shared<Socket>(3);
  table.add(7, first);
  table.add(7, second);
  table.add(8, other);
  auto taken = table.take(7);
  ASSERT_EQ(taken.size(), 2u);
  EXPECT_TRUE(table.take(7).empty());
  EXPECT_EQ(table.take(8).size(), 1u);
}

TEST(SocketsByUser, ARemovedOrEndedSocketIsNotReturned) {
  SocketsByUser table;
  auto kept = std::make_shared<Socket>(1), removed = std::make_shared<Socket>(2);
  auto ended = std::make_shared<Socket>(3);
  table.add(7, kept);
  table.add(7, removed);
  table.add(7, ended);
  table.remove(7, removed->id());
  ended.reset();
  auto taken = table.take(7);
  ASSERT_EQ(taken.size(), 1u);
  EXPECT_EQ(taken[0]->id(), 1u);
}

}  // namespace
}  // namespace praktika::app
