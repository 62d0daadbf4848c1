# frozen_string_literal: true

class Projects::MergeRequestsController < Projects::MergeRequests::ApplicationController
  include IssuableActions
  include RendersCommits

  skip_before_action :merge_request, only: [:index]

  urgency :high, [:show, :merge]
  urgency :low, [:index]

  def index
    @merge_requests = issuables_collection.page(params[:page])
  end

  def show
    @noteable = @merge_request
    @commits_count = @merge_request.commits_count

    respond_to do |format|
      format.html { render 'show' }
      format.json { render json: serializer.represent(@merge_request, serializer: params[:serializer]) }
    end
  end

  def merge
    return access_denied! unless @merge_request.can_be_merged_by?(current_user)

    status = ::MergeRequests::MergeOrchestrationService.new(project, current_user, merge_params).execute(@merge_request)
    render json: { status: status }
  end

  private

  def merge_params
    params.permit(:sha, :squash, :should_remove_source_branch, :auto_merge_strategy)
  end
end
