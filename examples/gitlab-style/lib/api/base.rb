# frozen_string_literal: true

module API
  class Base < Grape::API::Instance
    include ::Gitlab::EndpointAttributes

    class << self
      def endpoint_attributes(route)
        route.settings.dig(:endpoint_attributes) || {}
      end
    end
  end
end
