# frozen_string_literal: true

class Projects::PipelinesController < Projects::ApplicationController
  include ::Gitlab::Utils::StrongMemoize
  include RedisTracking

  before_action :pipeline, except: [:index, :new, :create]
  before_action :authorize_read_pipeline!
  before_action :authorize_create_pipeline!, only: [:new, :create]

  feature_category :continuous_integration
  urgency :low, [:index, :new]
  urgency :high, [:show]

  def index
    @pipelines = Ci::PipelinesFinder.new(project, current_user, index_params).execute.page(params[:page])
    @pipelines_count = limited_pipelines_count(project)
  end

  def new
    @pipeline = project.all_pipelines.new(ref: @project.default_branch)
  end

  def create
    @pipeline = Ci::CreatePipelineService.new(project, current_user, create_params).execute(:web, ignore_skip_ci: true, save_on_errors: false)

    if @pipeline.created_successfully?
      redirect_to project_pipeline_path(project, @pipeline)
    else
      render 'new', status: :bad_request
    end
  end

  def show
    respond_to do |format|
      format.html { render_show }
      format.json { render json: PipelineSerializer.new(project: @project, current_user: @current_user).represent(@pipeline) }
    end
  end

  def retry
    ::Ci::RetryPipelineWorker.perform_async(pipeline.id, current_user.id)
    redirect_back_or_default default: project_pipelines_path(project)
  end

  private

  def pipeline
    @pipeline ||= project.all_pipelines.find(params[:id])
  end

  def index_params
    params.permit(:scope, :username, :ref, :status, :source)
  end
end
