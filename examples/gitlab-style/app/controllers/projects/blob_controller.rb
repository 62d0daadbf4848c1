# frozen_string_literal: true

class Projects::BlobController < Projects::ApplicationController
  include ExtractsPath
  include CreatesCommit

  before_action :authorize_download_code!
  before_action :blob, only: [:show, :edit, :update]

  feature_category :source_code_management
  urgency :low, [:show]

  def show
    conditionally_expand_blob(@blob)

    respond_to do |format|
      format.html { show_html }
      format.json { show_json }
    end
  end

  def edit
    @last_commit = Gitlab::Git::Commit.last_for_path(@repository, @ref, @path, literal_pathspec: true).sha
  end

  def update
    create_commit(Files::UpdateService, success_path: -> { after_edit_path }, failure_view: :edit, failure_path: project_blob_path(@project, @id))
  end

  private

  def blob
    @blob = @repository.blob_at(@commit.id, @path)
  end
end
