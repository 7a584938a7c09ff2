// A Beast body that sends `remaining` bytes of an open file from its current position: what a
// Range request needs, which http::file_body (always the whole file) cannot do. Internal to net.
#pragma once

#include <cstdint>
#include <utility>

#include <boost/asio/buffer.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/core/file.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/optional.hpp>

namespace praktika::net {

struct FileRangeBody {
  struct value_type {
    boost::beast::file file;
    std::uint64_t remaining = 0;
  };

  static std::uint64_t size(const value_type& body) { return body.remaining; }

  class writer {
   public:
    using const_buffers_type = boost::asio::const_buffer;

    template <bool isRequest, class Fields>
    writer(boost::beast::http::header<isRequest, Fields>&, value_type& body) : body_(body), left_(body.remaining) {}

    void init(boost::beast::error_code& ec) { ec = {}; }

    boost::optional<std::pair<const_buffers_type, bool>> get(boost::beast::error_code& ec) {
      std::size_t amount = left_ < sizeof buf_ ? static_cast<std::size_t>(left_) : sizeof buf_;
      if (amount == 0) {
        ec = {};
        return boost::none;
      }
      std::size_t n = body_.file.read(buf_, amount, ec);
      if (ec) return boost::none;
      if (n == 0) {
        // The file shrank under us: fail rather than send a short body with a long length.
        ec = boost::beast::http::error::short_read;
        return boost::none;
      }
      left_ -= n;
      return {{const_buffers_type(buf_, n), left_ > 0}};
    }

   private:
    value_type& body_;
    std::uint64_t left_;
    char buf_[16 * 1024];
  };
};

}  // namespace praktika::net
