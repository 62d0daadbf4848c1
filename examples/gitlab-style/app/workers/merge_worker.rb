# frozen_string_literal: true

class MergeWorker
  include ApplicationWorker

  data_consistency :always
  sidekiq_options retry: 3
  feature_category :code_review_workflow
  urgency :high
  weight 5
  loggable_arguments 2
  idempotent!

  def perform(merge_request_id, current_user_id, params)
    begin
      current_user = User.find(current_user_id)
      merge_request = MergeRequest.find(merge_request_id)
    rescue ActiveRecord::RecordNotFound
      return
    end

    MergeRequests::MergeService.new(project: merge_request.target_project, current_user: current_user, params: params).execute(merge_request)
  end
end
