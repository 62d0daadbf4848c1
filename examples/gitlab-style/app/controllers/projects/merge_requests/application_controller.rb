# frozen_string_literal: true

class Projects::MergeRequests::ApplicationController < Projects::ApplicationController
  before_action :check_merge_requests_available!
  before_action :merge_request

  feature_category :code_review_workflow

  private

  def merge_request
    @issuable =
      @merge_request ||= @project.merge_requests.includes(author: :status).find_by!(iid: params[:id])
  end

  def merge_request_params
    params.require(:merge_request).permit(:title, :description, :target_branch, :squash)
  end
end
