# frozen_string_literal: true

class Projects::IssuesController < Projects::ApplicationController
  include ToggleSubscriptionAction
  include IssuableActions
  include IssuableCollections

  before_action :issue, only: [:show, :update, :service_desk]
  before_action :authorize_create_issue!, only: [:new, :create]

  feature_category :team_planning, [:index, :show, :new, :create, :update]
  feature_category :service_desk, [:service_desk]
  urgency :low, [:index, :show]
  urgency :high, [:create]

  def index
    @issues = issuables_collection.page(params[:page])
    @issuable_meta_data = Gitlab::IssuableMetadata.new(current_user, @issues).data

    respond_to do |format|
      format.html
      format.atom { render layout: 'xml' }
    end
  end

  def show
    @noteable = @issue
    @note = @project.notes.new(noteable: @issue)

    respond_to do |format|
      format.html
      format.json { render json: serializer.represent(@issue, serializer: params[:serializer]) }
    end
  end

  def new
    @issue = ::Issues::BuildService.new(container: project, current_user: current_user, params: issue_params).execute
  end

  def create
    result = ::Issues::CreateService.new(container: project, current_user: current_user, params: issue_params).execute

    if result.success?
      redirect_to project_issue_path(project, result[:issue])
    else
      render :new
    end
  end

  def update
    ::Issues::UpdateService.new(container: project, current_user: current_user, params: issue_params).execute(issue)
    render_issuable_update(issue)
  end

  def service_desk
    @issues = issuables_collection.service_desk
    render 'service_desk'
  end

  private

  def issue
    @issue ||= project.issues.iid_in(params[:id]).first!
  end

  def issue_params
    params.require(:issue).permit(:title, :description, :confidential, label_ids: [], assignee_ids: [])
  end
end
