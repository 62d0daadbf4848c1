# frozen_string_literal: true

class Projects::JobsController < Projects::ApplicationController
  include SendFileUpload
  include ContinueParams

  before_action :build, except: [:index]
  before_action :authorize_read_build!

  feature_category :continuous_integration
  urgency :low

  def index
    @builds = project.builds.order_id_desc.page(params[:page]).per(30).without_count
  end

  def show
    respond_to do |format|
      format.html
      format.json { render json: BuildSerializer.new(project: @project, current_user: @current_user).represent(@build) }
    end
  end

  def trace
    @build.trace.being_watched! if @build.running?
    render json: BuildTraceSerializer.new(project: @project, current_user: @current_user).represent(@build.trace)
  end

  private

  def build
    @build ||= project.builds.find(params[:id]).present(current_user: current_user)
  end
end
