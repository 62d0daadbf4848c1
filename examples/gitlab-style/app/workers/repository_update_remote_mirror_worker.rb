# frozen_string_literal: true

class RepositoryUpdateRemoteMirrorWorker
  UpdateError = Class.new(StandardError)

  include ApplicationWorker
  include Gitlab::ExclusiveLeaseHelpers

  data_consistency :always
  sidekiq_options retry: 3, dead: false
  feature_category :source_code_management
  loggable_arguments 1, 2, 3

  LOCK_WAIT_TIME = 30.seconds
  MAX_TRIES = 3

  def perform(remote_mirror_id, scheduled_time, tries = 0)
    remote_mirror = RemoteMirror.find_by_id(remote_mirror_id)
    return unless remote_mirror

    in_lock("remote_mirror_update:#{remote_mirror_id}", ttl: LOCK_WAIT_TIME, retries: 0) do
      Projects::UpdateRemoteMirrorService.new(remote_mirror.project, nil).execute(remote_mirror, tries)
    end
  end
end
