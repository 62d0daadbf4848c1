# frozen_string_literal: true

class Projects::CommitsController < Projects::ApplicationController
  include ExtractsPath
  include RendersCommits

  before_action :assign_ref_vars
  before_action :authorize_read_code!

  feature_category :source_code_management
  # Deliberate mistake for `budget-lens lint`: a per-action value under a class default.
  feature_category :code_review_workflow, [:signatures]
  urgency :low, [:show]

  def show
    @commits = @repository.commits(@ref, path: @path, limit: 40, offset: params[:offset].to_i)
    @commits = prepare_commits_for_rendering(@commits)
  end

  def signatures
    render json: { signatures: @commits.select(&:has_signature?).map { |c| { commit_sha: c.sha } } }
  end
end
