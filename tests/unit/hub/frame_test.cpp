#include "hub/frame.h"

#include <gtest/gtest.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/websocket.hpp>
#include <future>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace praktika::hub {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;
using tcp = asio::ip::tcp;

// A WebSocket client (Beast's reader, which checks every header bit a client must check) and
// the server end of its connection as a plain socket, to write encoded frames on.
class Pair {
 public:
  Pair() : acceptor_(io_, {asio::ip::make_address("127.0.0.1"), 0}), client_(io_) {
    auto accepted = std::async(std::launch::async, [&] {
      tcp::socket s = acceptor_.accept();
      websocket::stream<tcp::socket> server(std::move(s));
      server.accept();
      return std::move(server.next_layer());
    });
    client_.next_layer().connect(acceptor_.local_endpoint());
    client_.handshake("127.0.0.1", "/");
    server_.emplace(accepted.get());
    client_.read_message_max(1 << 24);
  }

  // Written from another thread: a large frame does not fit the socket buffers at once.
  std::future<void> write(std::string bytes) {
    return std::async(std::launch::async, [this, bytes = std::move(bytes)] { asio::write(*server_, asio::buffer(bytes)); });
  }

  std::string read() {
    beast::flat_buffer buffer;
    client_.read(buffer);
    EXPECT_TRUE(client_.got_text());
    return beast::buffers_to_string(buffer.data());
  }

 private:
  asio::io_context io_;
  tcp::acceptor acceptor_;
  websocket::stream<tcp::socket> client_;
  std::optional<tcp::socket> server_;
};

TEST(EncodedFrame, EveryLengthFormIsReadBackByBeastAsTheSameText) {
  Pair pair;
  // 7-bit lengths up to 125, 16-bit up to 65535, 64-bit beyond; both edges of each.
  for (std::size_t size : {0, 1, 125, 126, 127, 1000, 65535, 65536, 200000}) {
    std::string payload(size, 'x');
    for (std::size_t i = 0; i < size; ++i) payload[i] = static_cast<char>('a' + i % 26);
    Frame frame = encode_text_frame(payload);
    EXPECT_EQ(frame->payload(), payload);
    std::size_t header = size <= 125 ? 2 : size <= 65535 ? 4 : 10;
    EXPECT_EQ(frame->wire().size(), header + size) << size;
    auto written = pair.write(std::string(frame->wire()));
    EXPECT_EQ(pair.read(), payload) << size;
    written.get();
  }
}

TEST(EncodedFrame, RussianTextStaysValidUtf8) {
  Pair pair;
  std::string payload = R"({"topic":"gallery:irkutsk-2020:1","event":"comment","data":{"text":"Спасибо за практику!"}})";
  auto written = pair.write(std::string(encode_text_frame(payload)->wire()));
  EXPECT_EQ(pair.read(), payload);
  written.get();
}

TEST(EncodedFrame, FramesWrittenBackToBackInOneWriteAreSeparateMessagesInOrder) {
  // What a connection's gathered write puts on the wire: several frames with nothing between.
  Pair pair;
  std::string batch;
  std::vector<std::string> payloads;
  for (int i = 0; i < 50; ++i) {
    payloads.push_back(R"({"n":)" + std::to_string(i) + "," + std::string(i * 37 % 300, ' ') + "}");
    batch += encode_text_frame(payloads.back())->wire();
  }
  auto written = pair.write(batch);
  for (const auto& p : payloads) EXPECT_EQ(pair.read(), p);
  written.get();
}

}  // namespace
}  // namespace praktika::hub
