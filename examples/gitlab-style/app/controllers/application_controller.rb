# frozen_string_literal: true

class ApplicationController < ActionController::Base
  include Gitlab::GonHelper
  include Gitlab::Auth::CurrentUserMode

  before_action :authenticate_user!
  before_action :set_current_organization

  protect_from_forgery with: :exception, prepend: true

  def route_not_found
    not_found
  end

  private

  def not_found
    render_404
  end

  def set_current_organization
    Current.organization = Organizations::Organization.default_organization
  end
end
