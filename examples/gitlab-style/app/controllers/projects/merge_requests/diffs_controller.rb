# frozen_string_literal: true

# No feature_category here on purpose: every action inherits :code_review_workflow from
# Projects::MergeRequests::ApplicationController.
class Projects::MergeRequests::DiffsController < Projects::MergeRequests::ApplicationController
  include DiffHelper
  include RendersNotes

  before_action :define_diff_vars

  def show
    render_diffs
  end

  def diffs_batch
    diffs = @compare.diffs_in_batch(params[:page], params[:per_page], diff_options: diff_options)
    render json: PaginatedDiffSerializer.new(current_user: current_user).represent(diffs)
  end

  def diffs_metadata
    render json: DiffsMetadataSerializer.new(project: @merge_request.project).represent(@diffs)
  end

  private

  def define_diff_vars
    @merge_request_diff = @merge_request.merge_request_diff
    @compare = @merge_request_diff
  end
end
