# frozen_string_literal: true

class Projects::ApplicationController < ApplicationController
  include CookiesHelper
  include RoutableActions

  skip_before_action :authenticate_user!
  before_action :project
  before_action :repository

  layout 'project'

  private

  def project
    @project ||= find_routable!(Project, File.join(params[:namespace_id], params[:project_id] || params[:id]), request.fullpath)
  end

  def repository
    @repository ||= project.repository
  end

  def authorize_read_project!
    access_denied! unless can?(current_user, :read_project, project)
  end
end
