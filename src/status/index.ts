/** The status module: status list index allocation, the index permutation and the bitstring codec. */
export {createStatusAllocator, SERVICE_STATUS_RESERVE, STATUS_LIST_SIZE, type StatusAllocator, type StatusIndex} from './allocation.js';
export {decodeStatusList, encodeStatusList, isSet, MAX_DECODED_BYTES, MalformedStatusList,
  STATUS_LIST_MIN_LENGTH, type StatusBits} from './bitstring.js';
export {STATUS_PURPOSES, type StatusListRecord, statusModels, type StatusPurpose} from './model.js';
export {createIndexPermutation, type IndexPermutation} from './permutation.js';
